package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeTable;
import io.agentservesim.perf.ProfileBundle;

/**
 * The MoE layer of a bundle measured only at TP 1, priced at TP N &gt; 1 without expert parallelism:
 * <pre>
 * moe_tpN(T, experts) = table_tp1(T, experts) × rooflineMoe(tpN, T) / rooflineMoe(tp1, T)
 * </pre>
 * where {@code rooflineMoe} is {@link RooflineStepTimeModel#opUs}{@code (Op.MOE, T)} (vLLM's fused-MoE
 * kernels, {@link FusedMoeKernel}, balanced routing) on the same GPU with the same factors.
 *
 * <p>Why: LLMServingSim profiles the MoE layer once at TP 1 and, at any TP, looks up each expert-parallel
 * rank's tokens in that table; its convention splits experts by expert parallelism only, so at TP 2 with
 * EP 1 it prices the whole, unsharded layer on each rank. vLLM without {@code --enable-expert-parallel}
 * shards every expert's intermediate width over the TP ranks instead ({@code FusedMoE}'s per-partition
 * intermediate size is {@code moe_intermediate_size / tp}), so each rank's grouped GEMMs do 1/N of the
 * FLOPs and read 1/N of the expert weights, while the alignment and the top-k sum still cover every
 * token-expert pair. The measured table stays the anchor; only that sharding effect is modelled, by the
 * roofline's own ratio. (Under expert parallelism experts stay whole: {@link EpRoutedMoeTable} prices the tp1 table instead.)
 *
 * <p>The ratio is precomputed ({@link RooflineRatioMoeTable}); queries allocate nothing.
 */
public final class TpShardedMoeTable implements MoeLayerTime {
    /** Whole token counts whose ratio is precomputed ({@link RooflineRatioMoeTable#PRECOMPUTED}). */
    static final int PRECOMPUTED = RooflineRatioMoeTable.PRECOMPUTED;

    private final RooflineRatioMoeTable scaled;

    /**
     * @param tp1     the MoE table measured at TP 1
     * @param tp      the TP degree to price (&gt; 1), experts sharded in width over it
     * @param factors the roofline factors of {@code gpu} (the engine uses the built-in calibration's)
     */
    public TpShardedMoeTable(MoeTable tp1, GpuSpec gpu, ModelShape model, int tp, RooflineEfficiency factors) {
        if (!model.isMoe()) {
            throw new IllegalArgumentException(model.name() + " is not an MoE model");
        }
        if (tp < 2) {
            throw new IllegalArgumentException("TP sharding of a tp1 MoE table needs tp >= 2, got " + tp);
        }
        // One layer: the ratio is a per-layer kernel property, and the whole model need not fit one GPU at tp1.
        ModelShape layer = model.withLayers(1);
        this.scaled = new RooflineRatioMoeTable(tp1, new RooflineStepTimeModel(gpu, layer, tp, factors),
                new RooflineStepTimeModel(gpu, layer, 1, factors), "tp1 table x roofline tp" + tp + "/tp1 sharding, " + gpu.id());
    }

    /**
     * True when the profile path at the bundle's TP should use this class: an MoE table read from
     * {@code tp1/} for a bundle loaded at TP &gt; 1 (the caller also checks there is no expert parallelism).
     */
    public static boolean applies(ProfileBundle bundle) {
        return bundle.moe() != null && bundle.tp() > 1 && bundle.moeMeasuredAtTp() == 1;
    }

    @Override
    public double timeUs(double tokens, double activatedExperts) {
        return scaled.timeUs(tokens, activatedExperts);
    }

    /** rooflineMoe(tpN, T) / rooflineMoe(tp1, T); tokens below 1 count as 1. */
    public double ratio(double tokens) {
        return scaled.ratio(tokens);
    }

    @Override
    public String note() {
        return scaled.note();
    }
}
