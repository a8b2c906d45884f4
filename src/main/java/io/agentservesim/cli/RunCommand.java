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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code asim run CONFIG.yaml --out DIR}: one simulation, outputs in DIR, the summary table on stdout. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one simulation from a YAML config (or an LLMServingSim cluster config.json with --workload);"
                + " writes manifest.json, summary.json, turns.csv, programs.csv and timeseries.csv into --out; also"
                + " requests.csv and power.csv for a flat workload, steps.csv for a world, decisions.csv with"
                + " outputs.decisions, report.html with --report (see README, Outputs). A progress bar on stderr when it is a terminal; a warning first when the tables are"
                + " projected over --warn-output-gib.")
final class RunCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "simulation YAML file")
    Path config;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output folder: new, empty, or an earlier asim output (replaced on success; anything else is refused)")
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

    @Option(names = "--per-token", description = "write every request's inter-token latencies into requests.csv's"
            + " ITL column (LLMServingSim's list; about 2.6 GB per million requests); off: \"[]\". summary.json's ITL"
            + " statistics are there either way")
    boolean perToken;

    @Option(names = "--progress", negatable = true, paramLabel = "",
            description = "a progress bar on stderr (requests or programs done, rate, ETA, simulated time, turns);"
                    + " default: only when stderr is a terminal")
    Boolean progress;

    @Option(names = "--warn-output-gib", paramLabel = "GIB", defaultValue = "1",
            description = "warn on stderr before a run whose tables are projected to exceed GIB (default: ${DEFAULT-VALUE})")
    double warnOutputGib;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        // Refused before anything is read or written: an --out that would destroy a user's files.
        OutputTarget.checkFolder("--out", out, java.util.Arrays.asList(config, workload, data));
        ResolvedSimulation s = ResolvedSimulation.load(config, workload, data, set.overrides());
        // Which batch limits each kind of instance runs with, vLLM's resolved defaults included.
        s.agent().instances().stream().map(InstanceSpec::batchLimits).distinct()
                .forEach(b -> System.out.println("batch limits: " + b));
        AgentSimulation simulation = new AgentSimulation(s).perTokenLatencies(perToken);
        long expected = simulation.expectedPrograms();
        String warning = OutputSizeEstimate.warning(expected, !s.isAgentRun(), perToken,
                (long) Math.min(Long.MAX_VALUE, warnOutputGib * (1L << 30)));
        if (warning != null) {
            System.err.println(warning);
        }
        if (StderrTerminal.showProgress(progress)) {
            simulation.progress(new RunProgressBar(expected, !s.isAgentRun(), StderrTerminal.isTerminal(), System.err));
        }
        return writeOutputs(dir -> {
            RunSummary summary = simulation.run(dir);
            return new String[] {SummaryJson.render(summary), SummaryTable.render(summary)};
        }, s.seed(), start);
    }

    /** A run that writes into a folder and returns its summary as {JSON, console table}. */
    private interface Run {
        String[] into(Path dir);
    }

    /** Runs into a staging folder, adds summary.json, and only then moves the folder into place. */
    private int writeOutputs(Run run, long seed, long startNs) {
        try (OutputFolder folder = new OutputFolder("--out", out, java.util.Arrays.asList(config, workload, data))) {
            String[] summary = run.into(folder.dir());
            Files.writeString(folder.dir().resolve("summary.json"), summary[0]);
            RunManifest.write(folder.dir(), "run", spec.commandLine().getParseResult().originalArgs()
                    .toArray(new String[0]), ResolvedSimulation.resolvedTree(config, set.overrides()), seed, (System.nanoTime() - startNs) / 1e9);
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
