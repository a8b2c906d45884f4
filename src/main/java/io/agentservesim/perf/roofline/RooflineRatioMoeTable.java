package io.agentservesim.perf.roofline;

import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeTable;

/**
 * A measured MoE table re-priced for a setting it was not measured in, by the roofline's own ratio of the
 * fused-MoE layer in that setting to the measured one, on the same GPU with the same factors:
 * {@code table(T, experts) × target.opUs(MOE, T) / measured.opUs(MOE, T)}. The measured table stays the
 * anchor; only the difference between the settings is modelled. {@link TpShardedMoeTable} (TP sharding)
 * and {@link EpRoutedMoeTable} (expert parallelism and routing) build the two roofline models.
 *
 * <p>The ratio depends on T only; it is precomputed for whole token counts up to {@link #PRECOMPUTED}
 * (step token counts are whole) and priced on the call otherwise. Queries allocate nothing.
 */
final class RooflineRatioMoeTable implements MoeLayerTime {
    /**
     * Whole token counts whose ratio is precomputed (vLLM's server defaults max_num_batched_tokens to
     * 2048 or 8192 by GPU memory); larger steps are priced on the call (about 0.1 µs).
     */
    static final int PRECOMPUTED = 8192;

    private final MoeTable table;
    private final RooflineStepTimeModel target;
    private final RooflineStepTimeModel measured;
    private final double[] ratio;
    private final String note;

    RooflineRatioMoeTable(MoeTable table, RooflineStepTimeModel target, RooflineStepTimeModel measured, String note) {
        this.table = table;
        this.target = target;
        this.measured = measured;
        this.ratio = new double[PRECOMPUTED + 1];
        for (int t = 1; t <= PRECOMPUTED; t++) {
            ratio[t] = priced(t);
        }
        this.note = note;
    }

    @Override
    public double timeUs(double tokens, double activatedExperts) {
        return table.timeUs(tokens, activatedExperts) * ratio(tokens);
    }

    /** target / measured roofline MoE time at T tokens; tokens below 1 count as 1. */
    double ratio(double tokens) {
        double t = Math.max(1.0, tokens);
        return t <= PRECOMPUTED && t == Math.rint(t) ? ratio[(int) t] : priced(t);
    }

    private double priced(double t) {
        return target.opUs(Op.MOE, t) / measured.opUs(Op.MOE, t);
    }

    @Override
    public String note() {
        return note;
    }
}
