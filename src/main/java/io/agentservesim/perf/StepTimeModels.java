package io.agentservesim.perf;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.ProfileWithRooflineStepTimeModel;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.file.Path;

/** Builds the step-time model of an instance and holds the engine-mode defaults that go with it. */
public final class StepTimeModels {
    private StepTimeModels() {
    }

    /**
     * The profile-bundle model for a model shape at a TP degree. {@code captureSizes} are the CUDA-graph
     * batch sizes the served engine captured (null = eager mode, no padding).
     */
    public static StepTimeModel fromProfile(Path bundleDir, int tp, ModelShape model, int[] captureSizes) {
        ProfileBundle bundle = ProfileBundle.load(bundleDir, tp);
        MoeSpec moe = model.isMoe() ? new MoeSpec(model.numExperts(), model.expertsPerToken()) : null;
        return new ProfileStepTimeModel(bundle, model.numLayers(), moe, captureSizes == null ? new int[0] : captureSizes);
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
     * ({@link ProfileWithRooflineStepTimeModel}). A bundle that covers everything at TP 1 gives exactly
     * {@link #fromProfile}. The answer's {@code source()} names which model answered what.
     */
    public static StepTimeModel forGpu(Path bundleDir, GpuSpec gpu, ModelShape model, int tp, int[] captureSizes) {
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, model, tp, RooflineFactors.builtin().forGpu(gpu),
                captureSizes);
        if (bundleDir == null) {
            return roof;
        }
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
        ProfileStepTimeModel profile = new ProfileStepTimeModel(bundle, model.numLayers(), moe,
                captureSizes == null ? new int[0] : captureSizes);
        ProfileWithRooflineStepTimeModel hybrid = new ProfileWithRooflineStepTimeModel(profile, roof,
                missing.toArray(new Op[0]), model.numLayers(), true, gpu.id());
        return hybrid.usesRoofline() ? hybrid : profile;
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
