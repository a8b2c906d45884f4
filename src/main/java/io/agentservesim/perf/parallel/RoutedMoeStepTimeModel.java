package io.agentservesim.perf.parallel;

import io.agentservesim.perf.CudaGraphPadding;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.StepTimeModel;

/**
 * A profile-based step time whose MoE layers are re-priced under a {@link MoeRouting}: the base model's
 * balanced, single-rank expert lookup ({@code ProfileStepTimeModel}: {@code moe.csv} at T tokens and
 * min(T·k, E) experts) is taken out and the routed layer's time put in, looked up one of two ways:
 * <ul>
 *   <li>per shard (EP 1, skewed routing): the busiest expert shard's lookup, at that shard's pairs / k
 *       tokens and its expected activated experts (the table's axes: tokens on the rank, distinct experts
 *       activated; LLMServingSim's {@code _lookup_moe}). Without EP (EP 1 under TP &gt; 1) both tables
 *       are the tp1 table sharded by TP ({@code TpShardedMoeTable}).</li>
 *   <li>full batch (EP &gt; 1): the routed table already carries the EP and routing effect
 *       ({@code EpRoutedMoeTable}: the tp1 table × the fused-MoE kernel model's EP ratio) and is looked
 *       up at the balanced single-rank point (T, min(T·k, E)). A per-shard lookup would shrink the whole
 *       layer with EP, but vLLM's activation, zero-fill and top-k sum run over all T·k pairs on every rank.</li>
 * </ul>
 * Token counts are padded to CUDA-graph capture sizes exactly as the base model pads them. Collectives
 * are not added here (the roofline half of {@code ProfileWithRooflineStepTimeModel} prices them). No
 * allocation.
 */
public final class RoutedMoeStepTimeModel implements StepTimeModel {
    private final StepTimeModel base;
    private final MoeLayerTime baseTable;
    private final MoeLayerTime table;
    private final MoeSpec spec;
    private final MoeRouting routing;
    private final int layers;
    private final int[] captureSizes;
    private final boolean perShard;
    private final String source;

    /**
     * @param base      the step time with balanced single-rank MoE (or no MoE if {@code baseTable} is null)
     * @param baseTable the table {@code base} priced its MoE layers with, or null when it priced none
     * @param table     the table to price the routed shard with (looked up per shard)
     */
    public RoutedMoeStepTimeModel(StepTimeModel base, MoeLayerTime baseTable, MoeLayerTime table, MoeSpec spec,
            MoeRouting routing, int layers, int[] captureSizes, String tableNote) {
        this(base, baseTable, table, spec, routing, layers, captureSizes, tableNote, true);
    }

    /**
     * @param perShard true: look {@code table} up at the busiest shard's tokens and activated experts;
     *                 false: {@code table} prices the routed layer itself and is looked up at the full
     *                 batch's balanced point (T, min(T·k, E))
     */
    public RoutedMoeStepTimeModel(StepTimeModel base, MoeLayerTime baseTable, MoeLayerTime table, MoeSpec spec,
            MoeRouting routing, int layers, int[] captureSizes, String tableNote, boolean perShard) {
        this.base = base;
        this.perShard = perShard;
        this.baseTable = baseTable;
        this.table = table;
        this.spec = spec;
        this.routing = routing;
        this.layers = layers;
        this.captureSizes = captureSizes == null ? new int[0]
                : java.util.Arrays.stream(captureSizes).filter(c -> c >= 1).distinct().sorted().toArray();
        this.source = base.source() + "+moe(" + routing.label()
                + (tableNote.isEmpty() ? "" : (perShard ? "," : ": ") + tableNote) + ")";
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
        double activated = Math.max(1, spec.activatedExperts(t));
        double balanced = baseTable == null ? 0.0 : nonNegative(baseTable.timeUs(t, activated));
        double routed = perShard
                ? nonNegative(table.timeUs(Math.max(1, routing.maxShardPairs(pairs) / k),
                        Math.max(1, routing.maxShardActivated(pairs))))
                : nonNegative(table.timeUs(t, activated));
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
