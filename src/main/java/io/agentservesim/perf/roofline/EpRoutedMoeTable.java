package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeTable;
import io.agentservesim.perf.parallel.MoeRouting;

/**
 * The MoE layer of a bundle measured at TP 1 with whole experts (balanced routing, one rank), priced
 * under expert parallelism EP &gt; 1 and any {@link MoeRouting} at the step's full token count:
 * <pre>
 * moe_EP(T, experts) = table_tp1(T, experts) × rooflineMoe(EP, routing, T) / rooflineMoe(EP1, balanced, T)
 * </pre>
 * where {@code rooflineMoe} is {@link RooflineStepTimeModel#opUs}{@code (Op.MOE, T)} (vLLM's fused-MoE
 * kernels on the busiest shard, {@link FusedMoeKernel}) on the same GPU with the same factors, and the
 * caller looks the table up at the balanced single-rank point (T, min(T·k, E)).
 *
 * <p>Why not LLMServingSim's per-rank lookup (the table at the busiest shard's pairs / k tokens and its
 * activated experts): that shrinks the whole layer with EP, but vLLM's fused-MoE layer runs the
 * activation, the zero-fill of the output and the top-k sum over all T·k token-expert pairs on every
 * rank; only the grouped GEMMs and their weight reads follow the shard. Against NVIDIA AIConfigurator's
 * measured fused-MoE tables the per-rank lookup gives EP1→EP8 speed-ups of 6.8–7.7× where 1.8–2.9× were
 * measured; the kernel model, whose ratio this is, gives 1.7–3.0× ({@code io.agentservesim.calibrate.MoeEpValidation}). The measured
 * table stays the anchor; only the EP and routing effect is modelled.
 *
 * <p>The ratio is precomputed ({@link RooflineRatioMoeTable}); queries allocate nothing.
 */
public final class EpRoutedMoeTable implements MoeLayerTime {
    private final RooflineRatioMoeTable scaled;

    /**
     * @param tp1     the MoE table measured at TP 1 (whole experts, one rank)
     * @param routing the routing and EP degree (&gt; 1) to price, over the model's experts
     * @param factors the roofline factors of {@code gpu} (the engine uses the built-in calibration's)
     */
    public EpRoutedMoeTable(MoeTable tp1, GpuSpec gpu, ModelShape model, MoeRouting routing, RooflineEfficiency factors) {
        if (!model.isMoe()) {
            throw new IllegalArgumentException(model.name() + " is not an MoE model");
        }
        if (routing.expertParallelSize() < 2) {
            throw new IllegalArgumentException("an EP ratio needs expert parallelism >= 2, got "
                    + routing.expertParallelSize());
        }
        // One layer: the ratio is a per-layer kernel property, and the whole model need not fit one GPU.
        // TP 1 on both sides: under EP the experts stay whole, as in the table.
        ModelShape layer = model.withLayers(1);
        this.scaled = new RooflineRatioMoeTable(tp1, new RooflineStepTimeModel(gpu, layer, 1, factors, null, routing),
                new RooflineStepTimeModel(gpu, layer, 1, factors, null, MoeRouting.balanced(model.numExperts())),
                "tp1 table x roofline EP ratio, " + gpu.id());
    }

    @Override
    public double timeUs(double tokens, double activatedExperts) {
        return scaled.timeUs(tokens, activatedExperts);
    }

    /** rooflineMoe(EP, routing, T) / rooflineMoe(EP1, balanced, T); tokens below 1 count as 1. */
    public double ratio(double tokens) {
        return scaled.ratio(tokens);
    }

    @Override
    public String note() {
        return scaled.note();
    }
}
