package io.agentservesim.perf.parallel;

import io.agentservesim.perf.CudaGraphPadding;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.StepTimeModel;

/**
 * A profile-based step time whose MoE layers are re-priced under a {@link MoeRouting}: the base model's
 * balanced, single-rank expert lookup ({@code ProfileStepTimeModel}: {@code moe.csv} at T tokens and
 * min(T·k, E) experts) is taken out and the busiest expert shard's lookup put in, at that shard's
 * pairs / k tokens and its expected activated experts (the table's axes: tokens on the rank, distinct
 * experts activated; LLMServingSim's {@code _lookup_moe}). Under expert parallelism the table should
 * be one measured with whole (not tensor-sliced) experts: the {@code tp1} table. Without it (EP 1 under
 * TP &gt; 1) both tables are the tp1 table sharded by TP ({@code TpShardedMoeTable}). Token counts are
 * padded to CUDA-graph capture sizes exactly as the base model pads them. Collectives are not added
 * here (the roofline half of {@code ProfileWithRooflineStepTimeModel} prices them). No allocation.
 */
public final class RoutedMoeStepTimeModel implements StepTimeModel {
    private final StepTimeModel base;
    private final MoeLayerTime baseTable;
    private final MoeLayerTime table;
    private final MoeSpec spec;
    private final MoeRouting routing;
    private final int layers;
    private final int[] captureSizes;
    private final String source;

    /**
     * @param base      the step time with balanced single-rank MoE (or no MoE if {@code baseTable} is null)
     * @param baseTable the table {@code base} priced its MoE layers with, or null when it priced none
     * @param table     the table to price the routed shard with
     */
    public RoutedMoeStepTimeModel(StepTimeModel base, MoeLayerTime baseTable, MoeLayerTime table, MoeSpec spec,
            MoeRouting routing, int layers, int[] captureSizes, String tableNote) {
        this.base = base;
        this.baseTable = baseTable;
        this.table = table;
        this.spec = spec;
        this.routing = routing;
        this.layers = layers;
        this.captureSizes = captureSizes == null ? new int[0]
                : java.util.Arrays.stream(captureSizes).filter(c -> c >= 1).distinct().sorted().toArray();
        this.source = base.source() + "+moe(" + routing.label() + (tableNote.isEmpty() ? "" : "," + tableNote) + ")";
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0L;
        }
        long tokens = batch.totalTokens();
        boolean graph = captureSizes.length > 0 && tokens <= captureSizes[captureSizes.length - 1];
        double t = Math.max(1, graph ? CudaGraphPadding.padUp(captureSizes, tokens) : tokens);
        double k = spec.expertsPerToken();
        double pairs = t * k;
        double balanced = baseTable == null ? 0.0
                : nonNegative(baseTable.timeUs(t, Math.max(1, spec.activatedExperts(t))));
        double routed = nonNegative(table.timeUs(Math.max(1, routing.maxShardPairs(pairs) / k),
                Math.max(1, routing.maxShardActivated(pairs))));
        return base.stepTimeNs(batch) + Math.round(layers * (routed - balanced) * 1000.0);
    }


    private static double nonNegative(double v) {
        return v > 0 ? v : 0.0;
    }

    @Override
    public String source() {
        return source;
    }
}
