package io.agentservesim.perf.parallel;

import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.CudaGraphPadding;
import io.agentservesim.perf.LockstepStepTimeModel;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.OperatorCosts;

/**
 * One lockstep step of the data-parallel ranks of an MoE model, as vLLM 0.19 runs them
 * ({@code --data-parallel-size D}, optionally {@code --enable-expert-parallel}):
 * <pre>
 * step = max over ranks r of own(r)                       attention over r's own requests, dense ops, TP all-reduces
 *      + L × ( moe(T) + all_gather(T) + reduce_scatter(T) ) every rank, at the group's tokens T
 * </pre>
 * <ol>
 *   <li>Token agreement ({@code vllm/v1/worker/dp_utils.py coordinate_batch_across_dp}): before each
 *       forward the ranks all-reduce their token counts; when every rank's batch fits a CUDA graph they all
 *       run the graph of the largest padded count P (DP padding: T = D × P), otherwise all run eager at
 *       their own counts (T = Σ t<sub>r</sub>). A rank with nothing scheduled runs a dummy batch of one
 *       token ({@code DPEngineCoreProc.run_busy_loop → execute_dummy_batch → _dummy_run(1)}), padded the
 *       same way, so an idle rank pays the whole MoE part of the step.</li>
 *   <li>own(r): the rank's step without its MoE layers, at the agreed token count
 *       ({@link BatchShape#setDpTokens}); each rank's attention sees only its own requests.</li>
 *   <li>moe(T): one MoE layer on one GPU over all T tokens of the group, with its share of the experts:
 *       with expert parallelism E / (D × TP) whole experts per GPU (EP = D × TP,
 *       {@code FusedMoEParallelConfig.make}), without it every expert's width split over D × TP GPUs
 *       (vLLM flattens TP across DP for the MoE layers). The given {@link MoeLayerTime} prices it (the
 *       fused-MoE kernel model or the bundle's table re-priced for that layout).</li>
 *   <li>Dispatch and combine (vLLM's default {@code all2all_backend} allgather_reducescatter,
 *       {@code AgRsAll2AllManager}): the hidden states and router logits of every rank are all-gathered
 *       over the DP group before the experts, and the expert outputs reduce-scattered back after them; the
 *       busiest GPU receives (and sends) every rank's tokens but the smallest rank's
 *       ({@link OperatorCosts#ncclAllGatherUs}).</li>
 * </ol>
 * The MoE part is per layer the same on every rank, so adding it once to the slowest rank's own work is the
 * per-layer synchronisation summed over layers. Left out: the per-step CPU all-reduce of token counts (gloo,
 * on the host, hidden under the GPU step by async scheduling), micro-batching (DBO, off by default), the
 * all-to-all backends (DeepEP, pplx: not the default), and overlap of the collectives with compute. One
 * pass over the ranks; nothing is allocated.
 */
public final class DataParallelMoeStepTimeModel implements LockstepStepTimeModel {
    private final StepTimeModel rank;
    private final MoeLayerTime moe;
    private final MoeSpec spec;
    private final int layers;
    private final int[] captureSizes;
    private final OperatorCosts costs;
    private final int dp;
    private final double dispatchBytesPerToken;
    private final double combineBytesPerToken;
    private final BatchShape dummy = new BatchShape();
    private final String source;

    /**
     * @param rank          one rank's step time without its MoE layers (attention, dense ops, TP all-reduces)
     * @param moe           one MoE layer on one GPU against (the group's tokens, experts activated over them)
     * @param captureSizes  the CUDA-graph capture sizes (null or empty: eager, no DP padding)
     * @param costs         the GPU link the collectives cross
     * @param hidden        model width
     * @param dtypeBytes    bytes per activation element
     * @param label         the layout for {@link #source()}, e.g. "dp2xep2"
     */
    public DataParallelMoeStepTimeModel(StepTimeModel rank, MoeLayerTime moe, MoeSpec spec, int layers, int dp,
            int[] captureSizes, OperatorCosts costs, int hidden, int dtypeBytes, String label) {
        if (dp < 2) {
            throw new IllegalArgumentException("a data-parallel group needs at least 2 ranks, got " + dp);
        }
        this.rank = rank;
        this.moe = moe;
        this.spec = spec;
        this.layers = layers;
        this.dp = dp;
        this.captureSizes = captureSizes == null ? new int[0]
                : java.util.Arrays.stream(captureSizes).filter(c -> c >= 1).distinct().sorted().toArray();
        this.costs = costs;
        this.dispatchBytesPerToken = (double) (hidden + spec.numExperts()) * dtypeBytes;
        this.combineBytesPerToken = (double) hidden * dtypeBytes;
        this.dummy.addDecode(0);
        String note = moe.note();
        this.source = label + "(" + rank.source() + "; moe at the group's tokens"
                + (note.isEmpty() ? "" : ": " + note) + "; all_gather+reduce_scatter)";
    }

    @Override
    public long stepTimeNs(BatchShape[] ranks) {
        if (ranks.length != dp) {
            throw new IllegalArgumentException("expected " + dp + " rank batches, got " + ranks.length);
        }
        boolean graph = captureSizes.length > 0;
        long largest = graph ? captureSizes[captureSizes.length - 1] : 0;
        long padded = 0;
        for (BatchShape b : ranks) {
            long t = Math.max(1, b.totalTokens());     // an empty batch is the one-token dummy
            if (t > largest) {
                graph = false;
            } else {
                padded = Math.max(padded, CudaGraphPadding.padUp(captureSizes, t));
            }
        }
        long slowest = 0;
        long total = 0;
        long smallest = Long.MAX_VALUE;
        for (BatchShape given : ranks) {
            BatchShape b = given.isEmpty() ? dummy : given;
            b.setDpTokens(graph ? (int) padded : -1);
            long t = graph ? padded : Math.max(1, b.totalTokens());
            total += t;
            smallest = Math.min(smallest, t);
            slowest = Math.max(slowest, rank.stepTimeNs(b));
        }
        double moeUs = moe.timeUs(total, Math.max(1, spec.activatedExperts(total)));
        double wire = total - smallest;
        double collectiveUs = costs.ncclAllGatherUs(wire * dispatchBytesPerToken, dp)
                + costs.ncclReduceScatterUs(wire * combineBytesPerToken, dp);
        return slowest + Math.round(layers * (Math.max(0.0, moeUs) + collectiveUs) * 1000.0);
    }

    @Override
    public String source() {
        return source;
    }

    public int dataParallelSize() { return dp; }

    /**
     * The step time of one rank's batch while every other rank runs its dummy batch: what a single rank's
     * step costs when it alone has work (for estimates that look at one rank, e.g. recompute costs).
     * Not thread-safe; no allocation per call.
     */
    public StepTimeModel oneRankBusy() {
        BatchShape[] shapes = new BatchShape[dp];
        for (int i = 1; i < dp; i++) {
            shapes[i] = new BatchShape();
        }
        return new StepTimeModel() {
            @Override
            public long stepTimeNs(BatchShape batch) {
                if (batch.isEmpty()) {
                    return 0L;
                }
                shapes[0] = batch;
                return DataParallelMoeStepTimeModel.this.stepTimeNs(shapes);
            }

            @Override
            public String source() {
                return source;
            }
        };
    }
}
