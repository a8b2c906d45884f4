package io.agentservesim.validate;

import io.agentservesim.config.ModelLimits;
import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.VllmBatchDefaults;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.ProfileBundle;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.cluster.AgentSimulation;
import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.report.SimCsv;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnRecord;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.perf.parallel.DataParallelModels;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.workload.FlatTraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replays the workload of a real vLLM run with the run's own engine settings and compares simulated
 * to measured latencies, row by row of the run's summary. This is how fidelity is measured; nothing
 * here is tuned to a run. A data-parallel run replays on its ranks behind vLLM's front-end balancing; an
 * MoE model's ranks in lockstep, with the run's GPU (its profile's hardware) pricing their token exchange.
 */
public final class Validator {

    /** One compared row. */
    public record Row(String label, double real, double sim, double diffPct, double llmServingSimDiffPct) {
    }

    /** The comparison of one run. */
    public record Result(List<Row> rows, double meanAbsDiffPct, double maxAbsDiffPct, String stepTimeSource,
                         EngineConfig engine, LatencySamples real, LatencySamples simulated, String batch) {
        /** Real vs simulated per group of requests in arrival order (see {@link PhaseBreakdown}). */
        public PhaseBreakdown phases(int groups) {
            return PhaseBreakdown.of(real, simulated, groups);
        }

        public String toTable() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%-16s %12s %12s %8s %14s%n", "Metric", "vLLM", "Sim", "Diff%",
                    "LLMServingSim"));
            b.append("-".repeat(66)).append('\n');
            LatencySamples.Metric last = null;
            for (Row r : rows) {
                String group = r.label().split(" ")[0];
                if (last != null && !group.equals(last.name().equals("LATENCY") ? "Latency" : last.name())) {
                    b.append('\n');
                }
                last = switch (group) {
                    case "TTFT" -> LatencySamples.Metric.TTFT;
                    case "TPOT" -> LatencySamples.Metric.TPOT;
                    default -> LatencySamples.Metric.LATENCY;
                };
                b.append(String.format(Locale.ROOT, "%-16s %12.1f %12.1f %+7.1f%% %13s%n", r.label(), r.real(),
                        r.sim(), r.diffPct(),
                        Double.isNaN(r.llmServingSimDiffPct()) ? "-"
                                : String.format(Locale.ROOT, "%+.1f%%", r.llmServingSimDiffPct())));
            }
            b.append(String.format(Locale.ROOT, "%nmean |Diff%%| %.2f %%   max |Diff%%| %.2f %%   (step times: %s)%n",
                    meanAbsDiffPct, maxAbsDiffPct, stepTimeSource));
            b.append("batch limits: ").append(batch).append('\n');
            return b.toString();
        }

        /** metric label -> {"real", "sim", "diff_pct"}, in the summary's row order. */
        public String toJson() {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            for (Row r : rows) {
                ObjectNode o = root.putObject(r.label());
                o.put("real", r.real());
                o.put("sim", r.sim());
                o.put("diff_pct", r.diffPct());
            }
            return JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        }

        public Map<String, Row> byLabel() {
            Map<String, Row> m = new LinkedHashMap<>();
            for (Row r : rows) {
                m.put(r.label(), r);
            }
            return m;
        }
    }

    private Validator() {
    }

    public static Result validate(Path runDir, Path workload, Path profileDir, Path modelConfig) {
        return validate(runDir, workload, profileDir, modelConfig, null);
    }

    /** As above; {@code requestsCsv} (may be null) receives the simulated per-request rows. */
    public static Result validate(Path runDir, Path workload, Path profileDir, Path modelConfig, Path requestsCsv) {
        return validate(runDir, workload, profileDir, modelConfig, requestsCsv, null);
    }

    /**
     * As above on the catalog GPU {@code gpuId} (null: the profile's hardware). At TP &gt; 1 the profile's
     * per-rank operators come with the TP all-reduces priced on that GPU's links
     * ({@link StepTimeModels#forGpu}): the bundles emulate TP on one GPU and measure no collective, and a
     * real TP run pays two all-reduces per layer. A TP run on hardware outside the catalog is refused
     * rather than simulated without its collectives.
     */
    public static Result validate(Path runDir, Path workload, Path profileDir, Path modelConfig, Path requestsCsv,
                                  String gpuId) {
        if (gpuId != null && !GpuCatalog.builtin().ids().contains(gpuId)) {
            throw new InputException("--gpu: unknown GPU '" + gpuId + "'; expected one of " + GpuCatalog.builtin().ids());
        }
        RealRun run = RealRun.load(runDir);
        ModelShape model = run.withRunKvCache(ModelShape.load(modelConfig));
        java.util.function.Supplier<String> gpu = () -> gpuId != null ? gpuId
                : catalogId(profileDir.resolve("meta.yaml"), ProfileBundle.load(profileDir, 1).hardware());
        int tp = run.tensorParallelSize();
        StepTimeModel stepTime = tp == 1
                ? StepTimeModels.fromProfile(profileDir, tp, model, captureSizes(run))
                : StepTimeModels.forGpu(profileDir, GpuCatalog.builtin().get(gpu.get()), model, tp, captureSizes(run));
        DataParallel dp = dataParallel(run, model, profileDir, gpu);
        return replay(run, workload, model, modelConfig, stepTime, dp, requestsCsv);
    }

    /**
     * The run's data-parallel ranks: a lockstep group of an MoE model on the run's GPU (the profile's, or the
     * roofline's alone when {@code profileDir} is null), independent ranks of a dense model, or none.
     */
    private static DataParallel dataParallel(RealRun run, ModelShape model, Path profileDir,
            java.util.function.Supplier<String> gpuId) {
        if (run.dataParallelSize() == 1 || !model.isMoe()) {
            return run.dataParallelSize() == 1 ? DataParallel.NONE : DataParallel.independent(run.dataParallelSize());
        }
        GpuSpec gpu = GpuCatalog.builtin().get(gpuId.get());
        return DataParallelModels.of(profileDir, gpu, model, run.tensorParallelSize(), captureSizes(run),
                run.dataParallelSize(), run.enableExpertParallel(), MoeRouting.Kind.BALANCED, 0.0);
    }

    /**
     * Replays the run with the roofline model alone (no profile): the GPU is {@code gpuId} when given,
     * else the run's hardware ({@code config.json} nodes[0].instances[0].hardware, LLMServingSim's name)
     * mapped to its catalog id by {@link #catalogId}.
     */
    public static Result validateRoofline(Path runDir, Path workload, String gpuId, Path modelConfig, Path requestsCsv) {
        RealRun run = RealRun.load(runDir);
        ModelShape model = run.withRunKvCache(ModelShape.load(modelConfig));
        String id = gpuId != null ? gpuId : catalogId(runDir.resolve("config.json"), runHardware(runDir));
        GpuSpec gpu = GpuCatalog.builtin().get(id);
        StepTimeModel stepTime = StepTimeModels.roofline(gpu, model, run.tensorParallelSize(), captureSizes(run));
        return replay(run, workload, model, modelConfig, stepTime, dataParallel(run, model, null, () -> id), requestsCsv);
    }

    /**
     * Replays the run with step times from AIConfigurator's measured kernel tables of the GPU
     * ({@link StepTimeModels#kernelTables}; GPU chosen as in {@link #validateRoofline}).
     */
    public static Result validateKernelTables(Path runDir, Path workload, String gpuId, Path modelConfig,
            Path requestsCsv) {
        RealRun run = RealRun.load(runDir);
        ModelShape model = run.withRunKvCache(ModelShape.load(modelConfig));
        String id = gpuId != null ? gpuId : catalogId(runDir.resolve("config.json"), runHardware(runDir));
        GpuSpec gpu = GpuCatalog.builtin().get(id);
        StepTimeModel stepTime = StepTimeModels.kernelTables(gpu, model, run.tensorParallelSize(), captureSizes(run));
        return replay(run, workload, model, modelConfig, stepTime, dataParallel(run, model, null, () -> id), requestsCsv);
    }

    /**
     * The catalog id of an LLMServingSim hardware name ({@link ProfileHardware}: its own names RTX4090 and
     * RTXPRO6000, or a catalog id); an unknown name fails naming what is accepted.
     */
    public static String catalogId(Path where, String hardware) {
        String id = ProfileHardware.catalogId(hardware, GpuCatalog.builtin());
        if (id == null) {
            throw InputException.at(where, "hardware \"" + hardware
                    + "\" has no catalog id (known: RTX4090, RTXPRO6000 or a catalog id); give --gpu ID");
        }
        return id;
    }

    private static String runHardware(Path runDir) {
        Path file = runDir.resolve("config.json");
        try {
            tools.jackson.databind.JsonNode hw = JsonMapper.builder().build().readTree(java.nio.file.Files.readString(file))
                    .path("nodes").path(0).path("instances").path(0).path("hardware");
            if (!hw.isString()) {
                throw InputException.at(file, "nodes[0].instances[0].hardware: missing; give --gpu ID");
            }
            return hw.asString();
        } catch (java.io.IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    private static int[] captureSizes(RealRun run) {
        return run.enforceEager() ? null
                : run.cudagraphCaptureSizes() != null ? run.cudagraphCaptureSizes()
                : StepTimeModels.defaultCaptureSizes(run.resolvedMaxNumSeqs());
    }

    private static Result replay(RealRun run, Path workload, ModelShape model, Path modelConfig,
            StepTimeModel stepTime, DataParallel dp, Path requestsCsv) {
        Path runDir = run.dir();
        EngineConfig engine = engineFor(run, model, modelConfig);
        Path trace = workload.toAbsolutePath();
        // Finished requests arrive in completion order; keep them by id (= arrival order in the trace)
        // so the simulated samples line up with the real run's, request by request.
        List<TurnRecord> byId = new ArrayList<>();
        ResolvedSimulation replay = ResolvedSimulation.flatReplay(model, engine, stepTime, run.tensorParallelSize(), dp,
                () -> FlatTraceReader.open(trace), trace.toString(), requestsCsv != null);
        try (SimCsv csv = requestsCsv == null ? null : new SimCsv(requestsCsv, model.name(), true)) {
            new AgentSimulation(replay).run(null, new RunListener() {
                @Override
                public void onTurn(TurnRecord t) {
                    while (byId.size() <= t.programId()) {
                        byId.add(null);
                    }
                    byId.set(t.programId(), t);
                    if (csv != null) {
                        csv.onTurn(t);
                    }
                }

                @Override
                public void onProgram(ProgramRecord p) {
                }
            });
        }
        if (byId.size() != run.measured().size() || byId.contains(null)) {
            throw InputException.at(trace, "has " + byId.size() + " requests but the real run "
                    + runDir + " has " + run.measured().size() + "; expected the workload that drove the run");
        }
        LatencySamples simulated = new LatencySamples();
        for (TurnRecord t : byId) {
            simulated.add(t.ttftNs() / 1e6, t.tpotNs() / 1e6, t.hasTpot(), t.e2eNs() / 1e6);
        }
        List<Row> rows = new ArrayList<>();
        double sumAbs = 0;
        double maxAbs = 0;
        for (RealRun.SummaryRow s : run.summaryRows()) {
            double real = run.measured().value(s.metric(), s.stat());
            double sim = simulated.value(s.metric(), s.stat());
            double diff = (sim - real) / real * 100.0;
            rows.add(new Row(s.label(), real, sim, diff, s.llmServingSimDiffPct()));
            sumAbs += Math.abs(diff);
            maxAbs = Math.max(maxAbs, Math.abs(diff));
        }
        String stepSource = dp.lockstepped() ? dp.lockstep().source()
                : (dp.size() > 1 ? "dp" + dp.size() + " independent ranks: " : "") + stepTime.source();
        int maxModelLen = engine.maxModelLen();
        return new Result(rows, sumAbs / rows.size(), maxAbs, stepSource, engine, run.measured(), simulated,
                run.batch(maxModelLen).describe());
    }

    /** The engine settings of a real run, as the simulator needs them. */
    public static EngineConfig engineFor(RealRun run, ModelShape model, Path modelConfig) {
        int maxModelLen = run.maxModelLen() != null ? run.maxModelLen()
                : ModelLimits.maxPositionEmbeddings(modelConfig);
        int blocks = run.numGpuBlocks() != null ? run.numGpuBlocks()
                : ModelLimits.blocksFromMemory(run.dir().resolve("config.json"), model,
                        run.memoryGib(), run.gpuMemoryUtilization(), run.blockSize(), run.tensorParallelSize(),
                        run.dataParallelSize());
        VllmBatchDefaults batch = run.batch(maxModelLen);
        return new EngineConfig(batch.maxNumBatchedTokens(), batch.maxNumSeqs(), maxModelLen, run.blockSize(), blocks,
                run.enablePrefixCaching(), run.enableChunkedPrefill(), run.longPrefillTokenThreshold(),
                run.reserveFullIsl(), run.asyncScheduling(), StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
    }
}
