package io.agentservesim.perf;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.parallel.Parallelism;
import io.agentservesim.perf.parallel.PipelineStepTimeModel;
import io.agentservesim.perf.parallel.RoutedMoeStepTimeModel;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.ProfileWithRooflineStepTimeModel;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import io.agentservesim.perf.roofline.EpRoutedMoeTable;
import io.agentservesim.perf.roofline.TpShardedMoeTable;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.file.Path;

/** Builds the step-time model of an instance and holds the engine-mode defaults that go with it. */
public final class StepTimeModels {
    private StepTimeModels() {
    }

    /**
     * The profile-bundle model for a model shape at a TP degree, with the tensor-parallel all-reduces the
     * bundle cannot contain: LLMServingSim's bundles emulate TP on one GPU (each op measured at its TP
     * shard), so at TP &gt; 1 this is {@link #bundleOnly} plus the roofline's two all-reduces per layer
     * (after attention's o_proj and the MLP's down projection, vLLM's {@code RowParallelLinear}) on the
     * catalog GPU of the bundle's hardware name ({@link ProfileHardware}), priced as vLLM dispatches them
     * ({@link OperatorCosts#allReduceUs}); the same price the YAML path with {@code hardware.gpu} adds
     * ({@link #forGpu}). A bundle whose hardware is not in the catalog has no link to price, so its TP
     * &gt; 1 steps stay the bundle's alone and {@code source()} says "no TP all-reduce". At TP 1 this is
     * exactly {@link #bundleOnly}.
     */
    public static StepTimeModel fromProfile(Path bundleDir, int tp, ModelShape model, int[] captureSizes) {
        ProfileStepTimeModel profile = bundleOnly(bundleDir, tp, model, captureSizes);
        if (tp == 1) {
            return profile;
        }
        GpuCatalog catalog = GpuCatalog.builtin();
        String hardware = ProfileBundle.load(bundleDir, tp).hardware();
        String id = ProfileHardware.catalogId(hardware, catalog);
        if (id == null) {
            String source = profile.source() + "(no TP all-reduce: hardware \"" + hardware + "\" is not in the GPU catalog)";
            return new StepTimeModel() {
                @Override
                public long stepTimeNs(BatchShape batch) {
                    return profile.stepTimeNs(batch);
                }

                @Override
                public String source() {
                    return source;
                }
            };
        }
        GpuSpec gpu = catalog.get(id);
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu),
                captureSizes);
        return new ProfileWithRooflineStepTimeModel(profile, roof, new Op[0], model.numLayers(), true, gpu.id());
    }

    /**
     * The profile bundle alone at a TP degree, as LLMServingSim prices it: every op at its TP shard as
     * measured on one GPU, no collectives (use {@link #fromProfile} for a served TP &gt; 1 engine; this is
     * for comparing with the bundle's own rows). {@code captureSizes} are the CUDA-graph batch sizes the
     * served engine captured (null = eager mode, no padding). An MoE bundle loaded at TP &gt; 1 whose
     * {@code moe.csv} was measured only at TP 1 has its MoE layer sharded by TP as vLLM does
     * ({@link TpShardedMoeTable}), on the catalog GPU of the bundle's hardware name
     * ({@link ProfileHardware}); when the catalog has no such GPU the tp1 table is used as measured
     * (LLMServingSim's convention), and {@code source()} says so either way.
     */
    public static ProfileStepTimeModel bundleOnly(Path bundleDir, int tp, ModelShape model, int[] captureSizes) {
        requireUnquantized(model, "a profile bundle (measured in " + model.dtypeBytes() * 8 + "-bit)");
        ProfileBundle bundle = ProfileBundle.load(bundleDir, tp);
        MoeSpec moe = model.isMoe() ? new MoeSpec(model.numExperts(), model.expertsPerToken()) : null;
        MoeLayerTime moeTime = null;
        if (moe != null && TpShardedMoeTable.applies(bundle)) {
            GpuCatalog catalog = GpuCatalog.builtin();
            String id = ProfileHardware.catalogId(bundle.hardware(), catalog);
            moeTime = id == null
                    ? MoeLayerTime.noted(bundle.moe(), "tp1 table unsharded (LLMServingSim's convention): hardware \""
                            + bundle.hardware() + "\" is not in the GPU catalog")
                    : tpSharded(bundle, catalog.get(id), model);
        }
        return new ProfileStepTimeModel(bundle, model.numLayers(), moe, captureSizes == null ? new int[0] : captureSizes,
                moeTime);
    }

    /**
     * The bundle's tp1 MoE table sharded over its TP degree without expert parallelism, priced with the
     * built-in calibration's factors for {@code gpu} ({@link TpShardedMoeTable}: vLLM splits each expert's
     * width over the TP ranks, LLMServingSim's convention does not).
     */
    private static MoeLayerTime tpSharded(ProfileBundle bundle, GpuSpec gpu, ModelShape model) {
        return new TpShardedMoeTable(bundle.moe(), gpu, model, bundle.tp(), RooflineFactors.builtin().forGpu(gpu));
    }

    /**
     * The roofline model alone for a model shape on {@code gpu} at a TP degree, with the built-in
     * calibration's factors for that GPU ({@code RooflineFactors.forGpu}); {@code captureSizes} as in
     * {@link #fromProfile}.
     */
    public static StepTimeModel roofline(GpuSpec gpu, ModelShape model, int tp, int[] captureSizes) {
        return new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu), captureSizes);
    }

    /**
     * Profile first, roofline for the gaps: with no bundle ({@code bundleDir} null) or a bundle not
     * measured at this TP degree, the roofline alone on {@code gpu}; otherwise the bundle's profile, with
     * the roofline pricing every per-layer op the bundle has no rows for (an MoE model's experts when
     * {@code moe.csv} is absent) and the TP all-reduces the bundles never measure
     * ({@link ProfileWithRooflineStepTimeModel}). An MoE bundle's tp1 {@code moe.csv} at TP &gt; 1 is
     * sharded by TP as vLLM does without expert parallelism ({@link TpShardedMoeTable}, on {@code gpu}).
     * A bundle that covers everything at TP 1 gives exactly {@link #fromProfile}. The answer's
     * {@code source()} names which model answered what.
     */
    public static StepTimeModel forGpu(Path bundleDir, GpuSpec gpu, ModelShape model, int tp, int[] captureSizes) {
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu),
                captureSizes);
        if (bundleDir == null) {
            return roof;
        }
        requireUnquantized(model, "a profile bundle (measured in " + model.dtypeBytes() * 8 + "-bit)");
        ProfileBundle probe = ProfileBundle.load(bundleDir, 1);
        if (java.util.Arrays.stream(probe.tpDegrees()).noneMatch(d -> d == tp)) {
            return roof;
        }
        ProfileBundle bundle = ProfileBundle.load(bundleDir, tp);
        java.util.List<Op> missing = new java.util.ArrayList<>();
        for (Op op : new Op[] {Op.QKV, Op.O_PROJ, Op.LAYERNORM, Op.ROTARY}) {
            if (!bundle.hasDenseOp(op.profileName())) {
                missing.add(op);
            }
        }
        if (!model.isMoe()) {
            for (Op op : new Op[] {Op.GATE_UP, Op.DOWN, Op.ACT}) {
                if (!bundle.hasDenseOp(op.profileName())) {
                    missing.add(op);
                }
            }
        }
        boolean moeFromProfile = model.isMoe() && bundle.moe() != null;
        if (model.isMoe() && !moeFromProfile) {
            missing.add(Op.MOE);
        }
        MoeSpec moe = moeFromProfile ? new MoeSpec(model.numExperts(), model.expertsPerToken()) : null;
        MoeLayerTime moeTime = moeFromProfile && TpShardedMoeTable.applies(bundle) ? tpSharded(bundle, gpu, model) : null;
        ProfileStepTimeModel profile = new ProfileStepTimeModel(bundle, model.numLayers(), moe,
                captureSizes == null ? new int[0] : captureSizes, moeTime);
        ProfileWithRooflineStepTimeModel hybrid = new ProfileWithRooflineStepTimeModel(profile, roof,
                missing.toArray(new Op[0]), model.numLayers(), true, gpu.id());
        return hybrid.usesRoofline() ? hybrid : profile;
    }

    /**
     * {@link #roofline(GpuSpec, ModelShape, int, int[])} with expert parallelism, MoE routing and
     * pipeline parallelism ({@link Parallelism}); {@code Parallelism.NONE} gives exactly that model.
     */
    public static StepTimeModel roofline(GpuSpec gpu, ModelShape model, int tp, int[] captureSizes,
            Parallelism par) {
        return parallel(gpu, model, tp, par, m -> rooflineRouted(gpu, m, tp, captureSizes, par));
    }

    /**
     * {@link #forGpu(Path, GpuSpec, ModelShape, int, int[])} with expert parallelism, MoE routing and
     * pipeline parallelism ({@link Parallelism}); {@code Parallelism.NONE} gives exactly that model.
     * Under expert parallelism the bundle's {@code tp1} MoE table is used when there is one (EP keeps
     * experts whole, as measured at TP 1) at the full batch, times the fused-MoE kernel model's EP ratio
     * on {@code gpu} ({@link EpRoutedMoeTable}: the activation, zero-fill and top-k sum do not shrink with
     * EP), in place of the base model's balanced lookup ({@link RoutedMoeStepTimeModel}); without expert parallelism a tp1 table at TP &gt; 1 is sharded by
     * TP first, as in the overload without {@code par}; without any MoE table the roofline prices the
     * routed experts.
     * The all-to-all per MoE layer always comes from the roofline (the bundles measure no collectives).
     */
    public static StepTimeModel forGpu(Path bundleDir, GpuSpec gpu, ModelShape model, int tp, int[] captureSizes,
            Parallelism par) {
        if (par.equals(Parallelism.NONE)) {
            return forGpu(bundleDir, gpu, model, tp, captureSizes);
        }
        return parallel(gpu, model, tp, par, m -> forGpuRouted(bundleDir, gpu, m, tp, captureSizes, par));
    }

    private static StepTimeModel parallel(GpuSpec gpu, ModelShape model, int tp, Parallelism par,
            java.util.function.Function<ModelShape, StepTimeModel> build) {
        int pp = par.pipelineParallelSize();
        if (pp == 1) {
            return build.apply(model);
        }
        double perGpu = (double) model.weightBytes() / ((double) tp * pp);
        if (perGpu > gpu.memoryBytes()) {
            throw new io.agentservesim.error.InputException(String.format(java.util.Locale.ROOT,
                    "model %s does not fit: %.1f GiB of weights per GPU at tp%d x pp%d > %.1f GiB on %s",
                    model.name(), perGpu / (1L << 30), tp, pp, gpu.memoryBytes() / (double) (1L << 30), gpu.id()));
        }
        if (pp > model.numLayers()) {
            throw new io.agentservesim.error.InputException("pipeline_parallel_size " + pp + " exceeds the "
                    + model.numLayers() + " layers of " + model.name());
        }
        OperatorCosts costs = new OperatorCosts(gpu, RooflineFactors.builtin().forGpu(gpu));
        return new PipelineStepTimeModel(build.apply(model.withLayers(1)), build.apply(model.withLayers(2)),
                model.numLayers(), pp, par.microBatches(), costs, model.hiddenSize(), model.dtypeBytes());
    }


    private static MoeRouting routing(ModelShape model, Parallelism par) {
        if (!model.isMoe()) {
            if (par.expertParallelSize() > 1) {
                throw new io.agentservesim.error.InputException("expert_parallel_size " + par.expertParallelSize()
                        + " needs an MoE model; " + model.name() + " is dense");
            }
            return null;
        }
        return MoeRouting.of(par.routing(), par.zipfS(), model.numExperts(), par.expertParallelSize());
    }

    private static RooflineStepTimeModel rooflineRouted(GpuSpec gpu, ModelShape model, int tp, int[] captureSizes,
            Parallelism par) {
        return new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu), captureSizes,
                routing(model, par));
    }

    private static StepTimeModel forGpuRouted(Path bundleDir, GpuSpec gpu, ModelShape model, int tp,
            int[] captureSizes, Parallelism par) {
        RooflineStepTimeModel roof = rooflineRouted(gpu, model, tp, captureSizes, par);
        if (bundleDir == null) {
            return roof;
        }
        ProfileBundle probe = ProfileBundle.load(bundleDir, 1);
        if (java.util.Arrays.stream(probe.tpDegrees()).noneMatch(d -> d == tp)) {
            return roof;
        }
        ProfileBundle bundle = tp == 1 ? probe : ProfileBundle.load(bundleDir, tp);
        java.util.List<Op> missing = new java.util.ArrayList<>();
        for (Op op : model.isMoe() ? new Op[] {Op.QKV, Op.O_PROJ, Op.LAYERNORM, Op.ROTARY}
                : new Op[] {Op.QKV, Op.O_PROJ, Op.LAYERNORM, Op.ROTARY, Op.GATE_UP, Op.DOWN, Op.ACT}) {
            if (!bundle.hasDenseOp(op.profileName())) {
                missing.add(op);
            }
        }
        boolean ep = par.expertParallelSize() > 1;
        MoeLayerTime own = !model.isMoe() ? null
                : !ep && TpShardedMoeTable.applies(bundle) ? tpSharded(bundle, gpu, model) : bundle.moe();
        // Under EP the tp1 table (whole experts) at the full batch x the fused-MoE kernel model's EP ratio.
        MoeLayerTime table = ep && probe.moe() != null ? new EpRoutedMoeTable(probe.moe(), gpu, model, roof.routing(),
                RooflineFactors.builtin().forGpu(gpu)) : own;
        if (model.isMoe() && table == null) {
            missing.add(Op.MOE);
        }
        MoeSpec spec = model.isMoe() ? new MoeSpec(model.numExperts(), model.expertsPerToken()) : null;
        int[] sizes = captureSizes == null ? new int[0] : captureSizes;
        ProfileStepTimeModel profile = new ProfileStepTimeModel(bundle, model.numLayers(), own != null ? spec : null,
                sizes, own);
        StepTimeModel base = new ProfileWithRooflineStepTimeModel(profile, roof, missing.toArray(new Op[0]),
                model.numLayers(), true, gpu.id());
        if (table == null) {
            return base;
        }
        String note = table == own ? "" : "tp1 table x roofline EP ratio";
        return new RoutedMoeStepTimeModel(base, own, table, spec, roof.routing(), model.numLayers(), sizes, note,
                table == own);
    }

    /**
     * Step times from AIConfigurator's measured vLLM kernel tables of {@code gpu}
     * ({@link io.agentservesim.perf.kernel.KernelTableStepTimeModel}: GEMMs and attention measured, the
     * ops the tables lack and the collectives from the roofline), BF16 weights and KV cache.
     */
    public static StepTimeModel kernelTables(GpuSpec gpu, ModelShape model, int tp, int[] captureSizes) {
        requireUnquantized(model, "the kernel tables (BF16 GEMM and attention rows only so far)");
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu),
                captureSizes);
        return new io.agentservesim.perf.kernel.KernelTableStepTimeModel(gpu, model, tp, captureSizes, roof,
                "bfloat16", "bfloat16");
    }

    /**
     * Refuses quantized weights or an FP8 KV cache where the step times come from BF16 measurements, which
     * would price them as BF16: only the roofline prices weight bytes and FP8/FP4 tensor rates.
     */
    private static void requireUnquantized(ModelShape model, String source) {
        boolean weights = model.weights().quantized(model.dtypeBytes());
        if (weights || model.kvBytes() != model.dtypeBytes()) {
            throw new io.agentservesim.error.InputException((weights ? model.weights().name() + " weights"
                    : "kv_cache_dtype fp8") + " of " + model.name() + " cannot be priced from " + source
                    + "; use the roofline step times (hardware.gpu without a profile, or step_times: roofline)");
        }
    }

    /**
     * vLLM 0.19's default CUDA-graph capture sizes ({@code vllm/config/compilation.py}): 1, 2, 4, then
     * steps of 8 up to 256, then steps of 16, up to {@code max_cudagraph_capture_size} = min(2 x
     * max_num_seqs, 512). The RTX4090 run's meta.json lists exactly this for max_num_seqs 256.
     */
    public static int[] defaultCaptureSizes(int maxNumSeqs) {
        int max = Math.min(2 * maxNumSeqs, 512);
        IntArrayList sizes = new IntArrayList();
        for (int s : new int[] {1, 2, 4}) {
            if (s <= max) {
                sizes.add(s);
            }
        }
        for (int s = 8; s <= Math.min(256, max); s += 8) {
            sizes.add(s);
        }
        for (int s = 272; s <= max; s += 16) {
            sizes.add(s);
        }
        return sizes.toIntArray();
    }

    /**
     * Host time per step that the GPU does not hide, by default zero: with async scheduling (vLLM 0.19's
     * default) the scheduler and input preparation of step N+1 run on the CPU while step N runs on the
     * GPU, so the real runs show no per-step gap; what they do show is the one-step admission lag that
     * {@link io.agentservesim.engine.EngineInstance} models. A positive value (config
     * {@code hardware.host_overhead_us}) models a CPU-bound host or a synchronous engine. VALIDATION.md
     * shows the effect of 1 ms: every row of both runs worse.
     */
    public static final long DEFAULT_HOST_OVERHEAD_NS = 0L;
}
