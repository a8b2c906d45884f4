package io.agentservesim.perf.parallel;

import io.agentservesim.error.InputException;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.OperatorCosts;

/**
 * Pipeline parallelism of degree N: the decoder layers are split into N stages on N GPUs (groups)
 * as vLLM's {@code get_pp_indices} splits them ({@code vllm/distributed/utils.py}: L / N layers each,
 * the remainder one each to the stages before the last, from the back), and a step's batch runs as M
 * micro-batches in flight (GPipe, Huang et al., NeurIPS 2019):
 *
 * <pre>
 * step = Σ_i t_i / M + (M − 1) / M × max_i t_i + (N − 1) × p2p(2 × T × hidden × dtype / M)
 * </pre>
 * t_i is stage i's time for the whole batch (a micro-batch takes t_i / M), so one micro-batch gives
 * the sum of the stages and many give the slowest stage; p2p is the send of one micro-batch's
 * hidden states and residual (vLLM's {@code IntermediateTensors}) across each of the N − 1 stage
 * boundaries on the fill path ({@link OperatorCosts#p2pUs}). M is capped at the batch's sequences.
 *
 * <p>Stage times come from any per-layer-linear step-time model built twice, with 1 and 2 layers:
 * per-layer time a = S(2) − S(1), once-per-step time b = S(1) − a (embedding, final norm, lm_head,
 * sampler, step overhead), charged to the last stage, which holds the LM head. Data-parallel replicas
 * need nothing here: each is its own engine instance. Two queries and no allocation per step.
 */
public final class PipelineStepTimeModel implements StepTimeModel {
    private final StepTimeModel oneLayer;
    private final StepTimeModel twoLayers;
    private final int[] stageLayers;
    private final int microBatches;
    private final OperatorCosts costs;
    private final double activationBytesPerToken;
    private final String source;

    /**
     * @param oneLayer  the model's step time with one decoder layer
     * @param twoLayers the same with two decoder layers
     */
    public PipelineStepTimeModel(StepTimeModel oneLayer, StepTimeModel twoLayers, int numLayers, int pp,
            int microBatches, OperatorCosts costs, int hidden, int dtypeBytes) {
        if (pp < 1 || pp > numLayers) {
            throw new InputException("pipeline_parallel_size " + pp + " must be between 1 and the " + numLayers
                    + " layers");
        }
        if (microBatches < 1) {
            throw new InputException("pipeline micro-batches must be >= 1, got " + microBatches);
        }
        this.oneLayer = oneLayer;
        this.twoLayers = twoLayers;
        this.stageLayers = stageLayers(numLayers, pp);
        this.microBatches = microBatches;
        this.costs = costs;
        this.activationBytesPerToken = 2.0 * hidden * dtypeBytes;
        this.source = twoLayers.source().replace("/tp", "/pp" + pp + "x" + microBatches + "/tp");
    }

    /** Layers per stage, as vLLM's {@code get_pp_indices} assigns them. */
    public static int[] stageLayers(int numLayers, int pp) {
        int[] layers = new int[pp];
        java.util.Arrays.fill(layers, numLayers / pp);
        int remainder = numLayers % pp;
        for (int i = 2; i < remainder + 2; i++) {
            layers[pp - i]++;
        }
        return layers;
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0L;
        }
        double s1 = oneLayer.stepTimeNs(batch);
        double perLayer = Math.max(0.0, twoLayers.stepTimeNs(batch) - s1);
        double once = Math.max(0.0, s1 - perLayer);
        int pp = stageLayers.length;
        double sum = 0;
        double max = 0;
        for (int i = 0; i < pp; i++) {
            double stage = stageLayers[i] * perLayer + (i == pp - 1 ? once : 0.0);
            sum += stage;
            max = Math.max(max, stage);
        }
        double m = Math.max(1, Math.min(microBatches, batch.numSequences()));
        double p2pNs = pp == 1 ? 0.0 : (pp - 1) * costs.p2pUs(activationBytesPerToken * batch.totalTokens() / m) * 1e3;
        return Math.round(sum / m + (m - 1) / m * max + p2pNs);
    }

    @Override
    public String source() {
        return source;
    }

    public int pipelineParallelSize() { return stageLayers.length; }
    public int microBatches() { return microBatches; }
}
