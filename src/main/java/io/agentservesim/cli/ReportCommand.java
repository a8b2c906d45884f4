package io.agentservesim.cli;

import io.agentservesim.error.InputException;
import io.agentservesim.report.html.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asim report DIR... [--out FILE]}: one self-contained HTML report (ECharts inlined, no network at
 * view time) of run folders (summary.json + turns.csv) and sweep folders (sweep.csv), compared side by side.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML report of run folders (asim run --out) and sweep folders"
                + " (asim sweep): latency CDFs, throughput, batch/queue, KV blocks and power over time, router"
                + " counters, tool-gap histograms; for a sweep each metric against each axis and a Pareto chart.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run or sweep folders")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", description = "the HTML file (default: report.html in the first DIR)")
    Path out;

    @Override
    public Integer call() {
        List<Path> runs = new ArrayList<>();
        List<Path> sweeps = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.isRegularFile(d.resolve("sweep.csv"))) {
                sweeps.add(d);
            } else if (Files.isRegularFile(d.resolve("summary.json"))) {
                runs.add(d);
            } else {
                throw InputException.at(d, "expected a run folder (summary.json, turns.csv) or a sweep folder (sweep.csv)");
            }
        }
        Path file = out != null ? out : dirs.get(0).resolve("report.html");
        HtmlReport.write(runs, sweeps, file);
        System.out.println("report: " + file);
        return 0;
    }
}
