package io.agentservesim.cli;

import io.agentservesim.cluster.AgentSimulation;
import io.agentservesim.config.InstanceSpec;
import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.report.SummaryJson;
import io.agentservesim.report.SummaryTable;
import io.agentservesim.report.html.HtmlReport;
import io.agentservesim.results.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code asim run CONFIG.yaml --out DIR}: one simulation, outputs in DIR, the summary table on stdout. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one simulation from a YAML config (or an LLMServingSim cluster config.json with --workload);"
                + " writes summary.json, turns.csv, programs.csv, timeseries.csv (and requests.csv for a flat workload)"
                + " into --out.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "simulation YAML file")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder (replaced on success)")
    Path out;

    @Option(names = "--workload", paramLabel = "FILE", description = "flat JSONL trace that replaces workload in CONFIG")
    Path workload;

    @Option(names = "--data", paramLabel = "DIR",
            description = "data folder for LLMServingSim cluster configs (default: the install's data/)")
    Path data = Path.of(System.getProperty("asim.home", ".")).resolve("data");

    @Mixin
    SetOptions set = new SetOptions();

    @Option(names = "--report", description = "also write report.html (asim report of this run) into --out")
    boolean report;

    @Override
    public Integer call() {
        ResolvedSimulation s = ResolvedSimulation.load(config, workload, data, set.overrides());
        // Which batch limits each kind of instance runs with, vLLM's resolved defaults included.
        s.agent().instances().stream().map(InstanceSpec::batchLimits).distinct()
                .forEach(b -> System.out.println("batch limits: " + b));
        return writeOutputs(dir -> {
            RunSummary summary = new AgentSimulation(s).run(dir);
            return new String[] {SummaryJson.render(summary), SummaryTable.render(summary)};
        });
    }

    /** A run that writes into a folder and returns its summary as {JSON, console table}. */
    private interface Run {
        String[] into(Path dir);
    }

    /** Runs into a staging folder, adds summary.json, and only then moves the folder into place. */
    private int writeOutputs(Run run) {
        try (OutputFolder folder = new OutputFolder(out)) {
            String[] summary = run.into(folder.dir());
            Files.writeString(folder.dir().resolve("summary.json"), summary[0]);
            if (report) {
                HtmlReport.writeRun(folder.dir(), HtmlReport.name(out), folder.dir().resolve("report.html"));
            }
            folder.commit();
            System.out.print(summary[1]);
            System.out.println("outputs: " + folder.finalDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }
}
