package io.agentservesim.cli;

import io.agentservesim.cluster.AgentSimulation;
import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.engine.EngineConfig;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.results.RunSummary;
import io.agentservesim.validate.RealRun;
import io.agentservesim.validate.Validator;
import io.agentservesim.workload.FlatTraceReader;
import io.agentservesim.workload.LengthDistribution;
import io.agentservesim.workload.SyntheticWorkload;
import io.agentservesim.workload.SyntheticWorkloadSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code asim bench}: wall time and simulated engine steps per second of (1) the 300-request replay of
 * the RTX4090 real run and (2) a 100,000-request synthetic run, each after warm-up iterations so the
 * JIT has compiled the hot path; the median of the measured iterations is reported.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure simulation speed: the 300-request replay, a 100,000-request synthetic run and a 50-program"
                + " SWE-bench-style agent cell; with --programs N, the agent-scale case alone.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "the data folder (default: the install's data/)")
    Path data = Path.of(System.getProperty("asim.home", ".")).resolve("data");

    @Option(names = "--iterations", description = "measured iterations per case (default: ${DEFAULT-VALUE})")
    int iterations = 5;

    @Option(names = "--warmup", description = "warm-up iterations per case (default: ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--synthetic-requests", description = "requests of the synthetic case (default: ${DEFAULT-VALUE})")
    int syntheticRequests = 100_000;

    @Option(names = "--agents", paramLabel = "YAML",
            description = "agent cell to time (default: the install's examples/agents/swe-stock-lru.yaml)")
    Path agentExample = Path.of(System.getProperty("asim.home", ".")).resolve("examples/agents/swe-stock-lru.yaml");

    @Option(names = "--programs", paramLabel = "N",
            description = "run only the agent-scale case: N SWE-bench programs x 20 turns at 4 programs/s on"
                    + " --instances RTX PRO 6000 instances, affinity router (issue 15; see BENCHMARKS.md)")
    Integer programs;

    @Option(names = "--instances", paramLabel = "N", description = "instances of the agent-scale case (default: ${DEFAULT-VALUE})")
    int instances = 64;

    @Override
    public Integer call() {
        if (programs != null) {
            if (programs < 1 || instances < 1) {
                throw new io.agentservesim.error.InputException("--programs and --instances must be >= 1");
            }
            AgentScaleBench.run(data, programs, instances);
            return 0;
        }
        Path lss = data.resolve("llmservingsim");
        Path modelJson = lss.resolve("models/meta-llama/Llama-3.1-8B.json");
        ModelShape model = ModelShape.load(modelJson);

        RealRun run = RealRun.load(lss.resolve("runs/RTX4090/Llama-3.1-8B"));
        Path trace = lss.resolve("workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz").toAbsolutePath();
        EngineConfig replayEngine = Validator.engineFor(run, model, modelJson);
        StepTimeModel rtx4090 = StepTimeModels.fromProfile(lss.resolve("perf/RTX4090/meta-llama/Llama-3.1-8B/bf16"),
                1, model, StepTimeModels.defaultCaptureSizes(replayEngine.maxNumSeqs()));
        ResolvedSimulation replay = ResolvedSimulation.flatReplay(model, replayEngine, rtx4090, 1, DataParallel.NONE,
                () -> FlatTraceReader.open(trace), trace.toString(), false);
        measure("replay RTX4090 Llama-3.1-8B, 300 requests", replay);

        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.of(syntheticRequests, 10.0,
                new LengthDistribution.LogNormal(600, 400, 4, 8192), new LengthDistribution.LogNormal(200, 150, 1, 2048),
                42);
        EngineConfig synthEngine = new EngineConfig(2048, 128, 131072, 16, 33_000, true, true, 0, true, true,
                StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
        StepTimeModel pro6000 = StepTimeModels.fromProfile(lss.resolve("perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16"),
                1, model, StepTimeModels.defaultCaptureSizes(128));
        ResolvedSimulation synthetic = ResolvedSimulation.flatReplay(model, synthEngine, pro6000, 1, DataParallel.NONE,
                () -> new SyntheticWorkload(spec), "synthetic", false);
        measure(String.format(Locale.ROOT, "synthetic RTXPRO6000 Llama-3.1-8B, %,d requests at 10 req/s", syntheticRequests),
                synthetic);

        Path swe = agentExample.toAbsolutePath();
        ResolvedSimulation agents = ResolvedSimulation.load(swe, null, data);
        for (int i = 0; i < warmup; i++) {
            new AgentSimulation(agents).run(null);
        }
        long[] wall = new long[Math.max(1, iterations)];
        RunSummary last = null;
        for (int i = 0; i < wall.length; i++) {
            last = new AgentSimulation(agents).run(null);
            wall[i] = last.wallNs();
        }
        Arrays.sort(wall);
        long median = wall[wall.length / 2];
        System.out.printf(Locale.ROOT, "agents %s: %d programs, %,d turns%n  steps %,d  wall median %.3f s (min %.3f, max %.3f)  %,.0f steps/s%n",
                swe.getFileName(), last.programs(), last.turns(), last.steps(), median / 1e9, wall[0] / 1e9,
                wall[wall.length - 1] / 1e9, last.steps() / (median / 1e9));
        return 0;
    }

    private void measure(String name, ResolvedSimulation run) {
        for (int i = 0; i < warmup; i++) {
            new AgentSimulation(run).run(null);
        }
        long[] wall = new long[Math.max(1, iterations)];
        RunSummary last = null;
        for (int i = 0; i < wall.length; i++) {
            last = new AgentSimulation(run).run(null);
            wall[i] = last.wallNs();
        }
        Arrays.sort(wall);
        long median = wall[wall.length / 2];
        System.out.printf(Locale.ROOT, "%s%n  steps %,d  wall median %.3f s (min %.3f, max %.3f)  %,.0f steps/s  %,.0f requests/s  simulated %.1f s%n",
                name, last.steps(), median / 1e9, wall[0] / 1e9, wall[wall.length - 1] / 1e9,
                last.steps() / (median / 1e9), last.turns() / (median / 1e9), last.makespanS());
    }
}
