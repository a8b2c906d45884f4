package io.agentservesim.power;

import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;

/**
 * FLOPs and HBM bytes of one engine step, from its batch and the model's shape (the standard
 * inference accounting of Kaplan et al. 2020, "Scaling Laws for Neural Language Models", §2.1:
 * 2 FLOPs per weight per token, plus attention).
 *
 * <ul>
 *   <li>FLOPs = 2 × (active layer weights) × tokens + 2 × LM-head weights × sequences (logits only for
 *       each sequence's last position, as vLLM computes them) + attention: 4 × layers × heads × headDim
 *       per (query, key) pair (QKᵀ and PV), pairs = chunk × kvBefore + chunk × (chunk + 1) / 2 for a
 *       causal prefill chunk and kv + 1 for a decode.</li>
 *   <li>Bytes = weights read once per step (dense layers, LM head, and for MoE only the experts the
 *       step's tokens can reach: min(experts, tokens × top-k) per layer) + KV read (every context token of
 *       every sequence in the batch) + KV written (the step's new tokens). Activations are left out.</li>
 * </ul>
 * Totals are for the whole instance; under tensor parallelism each GPU does its share. Cost per step is
 * one pass over the batch's sequences (no per-token work); nothing is allocated.
 */
public final class StepWork {
    private final double denseFlopsPerToken;
    private final double lmHeadFlopsPerSequence;
    private final double attentionFlopsPerPair;
    private final double fixedWeightBytes;
    private final double expertBytes;
    private final int numExperts;
    private final int expertsPerToken;
    private final int numLayers;
    private final double kvBytesPerToken;

    private double flops;
    private double bytes;

    public StepWork(ModelShape m) {
        long hidden = m.hiddenSize();
        long qWidth = (long) m.numAttentionHeads() * m.headDim();
        long kvWidth = (long) m.numKeyValueHeads() * m.headDim();
        long attention = hidden * qWidth + 2 * hidden * kvWidth + qWidth * hidden;
        long expert = 3 * hidden * m.moeIntermediateSize();
        long activeMlp = m.isMoe()
                ? (long) m.expertsPerToken() * expert + hidden * m.numExperts()
                : 3 * hidden * m.intermediateSize();
        long lmHead = (long) m.vocabSize() * hidden;
        this.numLayers = m.numLayers();
        this.denseFlopsPerToken = 2.0 * numLayers * (attention + activeMlp);
        this.lmHeadFlopsPerSequence = 2.0 * lmHead;
        this.attentionFlopsPerPair = 4.0 * numLayers * qWidth;
        long fixedLayer = attention + (m.isMoe() ? hidden * m.numExperts() : 3 * hidden * m.intermediateSize());
        this.fixedWeightBytes = ((double) numLayers * fixedLayer + lmHead) * m.dtypeBytes();
        this.expertBytes = (double) expert * m.dtypeBytes();
        this.numExperts = m.numExperts();
        this.expertsPerToken = m.expertsPerToken();
        this.kvBytesPerToken = m.kvBytesPerToken();
    }

    /** Computes the work of {@code batch}; read it with {@link #flops()} and {@link #bytes()}. */
    public void measure(BatchShape batch) {
        double pairs = 0;
        double context = 0;
        for (int i = 0; i < batch.numPrefills(); i++) {
            double chunk = batch.prefillChunk(i);
            double before = batch.prefillKv(i);
            pairs += chunk * before + chunk * (chunk + 1) / 2;
            context += before + chunk;
        }
        for (int i = 0; i < batch.numDecodes(); i++) {
            double kv = batch.decodeKv(i) + 1.0;
            pairs += kv;
            context += kv;
        }
        long tokens = batch.totalTokens();
        flops = denseFlopsPerToken * tokens + lmHeadFlopsPerSequence * batch.numSequences()
                + attentionFlopsPerPair * pairs;
        double weights = fixedWeightBytes;
        if (numExperts > 0) {
            weights += numLayers * Math.min((double) numExperts, (double) tokens * expertsPerToken) * expertBytes;
        }
        bytes = weights + kvBytesPerToken * (context + tokens);
    }

    /** FLOPs of the last measured step. */
    public double flops() { return flops; }

    /** HBM bytes of the last measured step. */
    public double bytes() { return bytes; }
}
