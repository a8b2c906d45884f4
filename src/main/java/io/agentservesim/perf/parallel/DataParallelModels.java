package io.agentservesim.perf.parallel;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.ProfileBundle;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.EpRoutedMoeTable;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.ProfileWithRooflineStepTimeModel;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import io.agentservesim.perf.roofline.TpShardedMoeTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Builds the {@link DataParallel} layout of {@code dp} ranks of a model at TP {@code tp} on a catalog GPU:
 * independent ranks for a dense model, a {@link DataParallelMoeStepTimeModel} for an MoE model, from the
 * profile bundle where it answers and the roofline for the rest, with the built-in calibration's factors:
 * <ul>
 *   <li>each rank's own work: the bundle's tables at {@code tp} with the MoE layer taken out, the roofline
 *       for ops the bundle lacks and for the TP all-reduces (as {@code StepTimeModels.forGpu}); without a
 *       bundle at {@code tp}, the roofline without its MoE layers;</li>
 *   <li>the MoE layer at the group's tokens: the bundle's tp1 {@code moe.csv} (whole experts) times the
 *       fused-MoE kernel model's ratio for the layout ({@link EpRoutedMoeTable} under expert parallelism
 *       over dp x tp GPUs, {@link TpShardedMoeTable} for dp x tp width shards without it); without a table,
 *       the fused-MoE kernel model itself ({@link RooflineStepTimeModel#opUs}).</li>
 * </ul>
 */
public final class DataParallelModels {
    private DataParallelModels() {
    }

    /**
     * @param bundleDir      the profile bundle, or null for roofline step times
     * @param captureSizes   CUDA-graph capture sizes (null = eager)
     * @param expertParallel vLLM's {@code enable_expert_parallel}: experts whole over dp x tp GPUs
     */
    public static DataParallel of(Path bundleDir, GpuSpec gpu, ModelShape model, int tp, int[] captureSizes, int dp,
            boolean expertParallel, MoeRouting.Kind routingKind, double zipfS) {
        if (dp < 1) {
            throw new InputException("data_parallel_size must be >= 1, got " + dp);
        }
        if (dp == 1) {
            return DataParallel.NONE;
        }
        if (!model.isMoe()) {
            return DataParallel.independent(dp);
        }
        int group = dp * tp;
        if (expertParallel && model.numExperts() % group != 0) {
            throw new InputException("expert parallelism over data_parallel_size x tensor_parallel_size = " + group
                    + " GPUs needs the " + model.numExperts() + " experts of " + model.name() + " to divide evenly");
        }
        double perGpu = model.weightBytesPerGpu(tp, dp);
        if (perGpu > gpu.memoryBytes()) {
            throw new InputException(String.format(Locale.ROOT,
                    "model %s does not fit: %.1f GiB of weights per GPU at dp%d x tp%d > %.1f GiB on %s", model.name(),
                    perGpu / (1L << 30), dp, tp, gpu.memoryBytes() / (double) (1L << 30), gpu.id()));
        }
        RooflineEfficiency factors = RooflineFactors.builtin().forGpu(gpu);
        MoeRouting routing = MoeRouting.of(routingKind, zipfS, model.numExperts(), expertParallel ? group : 1);
        // The rank's own model holds one GPU's share of the experts, so its weight check sees what one GPU holds.
        ModelShape rankShape = model.withExperts(model.numExperts() / group);
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, rankShape, tp, factors, captureSizes);
        ProfileBundle probe = bundleDir == null ? null : ProfileBundle.load(bundleDir, 1);
        boolean profiled = probe != null && Arrays.stream(probe.tpDegrees()).anyMatch(d -> d == tp);
        StepTimeModel rank = profiled ? profileRank(bundleDir, probe, roof, model, tp, captureSizes, gpu)
                : new WithoutMoe(roof);
        MoeLayerTime moe = probe != null && probe.moe() != null
                ? (expertParallel ? new EpRoutedMoeTable(probe.moe(), gpu, model, routing, factors)
                        : new TpShardedMoeTable(probe.moe(), gpu, model, group, factors))
                : rooflineMoe(gpu, model, group, expertParallel, routing, factors);
        String label = "dp" + dp + (expertParallel ? "/ep" + group : "/moe-tp" + group)
                + (routing.kind() == MoeRouting.Kind.BALANCED ? "" : "/" + routing.label().replaceFirst("^ep\\d+/", ""));
        return new DataParallel(dp, new DataParallelMoeStepTimeModel(rank, moe,
                new MoeSpec(model.numExperts(), model.expertsPerToken()), model.numLayers(), dp, captureSizes,
                new OperatorCosts(gpu, factors), model.hiddenSize(), model.dtypeBytes(), label));
    }

    /** The bundle's tables at {@code tp} with the MoE layer priced at 0, the roofline for the missing ops and all-reduces. */
    private static StepTimeModel profileRank(Path bundleDir, ProfileBundle probe, RooflineStepTimeModel roof,
            ModelShape model, int tp, int[] captureSizes, GpuSpec gpu) {
        ProfileBundle bundle = tp == 1 ? probe : ProfileBundle.load(bundleDir, tp);
        List<Op> missing = new ArrayList<>();
        for (Op op : new Op[] {Op.QKV, Op.O_PROJ, Op.LAYERNORM, Op.ROTARY}) {
            if (!bundle.hasDenseOp(op.profileName())) {
                missing.add(op);
            }
        }
        boolean table = bundle.moe() != null;
        MoeLayerTime none = (tokens, experts) -> 0.0;
        ProfileStepTimeModel profile = new ProfileStepTimeModel(bundle, model.numLayers(),
                table ? new MoeSpec(model.numExperts(), model.expertsPerToken()) : null,
                captureSizes == null ? new int[0] : captureSizes, table ? none : null);
        ProfileWithRooflineStepTimeModel hybrid = new ProfileWithRooflineStepTimeModel(profile, roof,
                missing.toArray(new Op[0]), model.numLayers(), true, gpu.id());
        return hybrid.usesRoofline() ? hybrid : profile;
    }

    /** The fused-MoE kernel model of one layer on one GPU of the group, at the group's tokens. */
    private static MoeLayerTime rooflineMoe(GpuSpec gpu, ModelShape model, int group, boolean expertParallel,
            MoeRouting routing, RooflineEfficiency factors) {
        ModelShape layer = model.withLayers(1);
        RooflineStepTimeModel m = expertParallel
                ? new RooflineStepTimeModel(gpu, layer, 1, factors, null, routing)
                : new RooflineStepTimeModel(gpu, layer, group, factors, null, routing);
        String note = "roofline fused-MoE " + (expertParallel ? "ep" : "tp") + group + ", " + gpu.id();
        return new MoeLayerTime() {
            @Override
            public double timeUs(double tokens, double activatedExperts) {
                return m.opUs(Op.MOE, tokens);
            }

            @Override
            public String note() {
                return note;
            }
        };
    }

    /** The roofline's step with its MoE layers taken out (a rank's own work). */
    private static final class WithoutMoe implements StepTimeModel {
        private final RooflineStepTimeModel roof;

        WithoutMoe(RooflineStepTimeModel roof) {
            this.roof = roof;
        }

        @Override
        public long stepTimeNs(BatchShape batch) {
            if (batch.isEmpty()) {
                return 0L;
            }
            return Math.max(0L, roof.stepTimeNs(batch) - Math.round(roof.moeLayersUs(batch) * 1000.0));
        }

        @Override
        public String source() {
            return roof.source() + "(without MoE)";
        }
    }
}
