package io.agentservesim.perf;

import io.agentservesim.error.InputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step time from an LLMServingSim profile bundle, combining the tables the way LLMServingSim's trace
 * generator does ({@code llmservingsim/serving/core/trace_generator.py}: {@code _build_batch_ctx},
 * {@code _emit_layer}, {@code _synthesize_trace}; op order from {@code profiler/models/llama.yaml} and
 * {@code llmservingsim/profiler/models/qwen3_moe.yaml}):
 *
 * <pre>
 * step = numLayers × ( Σ per-layer dense ops(T) + attention + [MoE(T, min(T·k, E))] )
 *        + embedding(T) + final_layernorm(T) + lm_head(S) + sampler(S)
 * </pre>
 * <ul>
 *   <li>T = tokens computed this step (all prefill chunk tokens + one per decode); dense ops are looked
 *       up at max(T, 1).</li>
 *   <li>Once per step: {@code embedding} (architecture "prologue") and {@code final_layernorm},
 *       {@code lm_head}, {@code sampler} ("head"). Every other dense.csv op is per layer;
 *       {@code layernorm} is counted twice per layer because the architecture sequence runs it before
 *       attention and again after {@code o_proj} (input and post-attention RMSNorm).</li>
 *   <li>S = all sequences in the batch ({@code lm_head_len = max(len(requests), num_prefill +
 *       num_decode)}), including prefill chunks that will not sample yet: LLMServingSim does not
 *       distinguish them, and neither does this model.</li>
 *   <li>Attention is one lookup of the 4-D table per layer for the whole batch: prefill_chunk = the
 *       SUM of all prefill chunks, kv_prefill = the SUM of their cached tokens, n_decode = number of
 *       decodes, kv_decode = the MEAN decode KV (integer floor), since decode cost tracks total KV read
 *       and n · mean = Σ kv. A one-token "prefill" chunk is counted as a decode, as LLMServingSim's
 *       scheduler classifies by token count. With several decodes of different lengths and a skew fit in
 *       the bundle, t = t_mean + α·(t_max − t_mean) with t_max looked up at the longest decode KV, applied
 *       only when t_max &gt; t_mean ({@link SkewAlphaTable}).</li>
 *   <li>MoE (when a {@link MoeSpec} is given): one expert-FFN lookup per layer at T tokens and
 *       min(T·k, E) activated experts (BALANCED gate, one expert-parallel rank), in the bundle's
 *       {@code moe.csv} as read, or in a {@link MoeLayerTime} given in its place (e.g. the tp1 table
 *       re-priced for TP sharding, which {@link #source()} then names).</li>
 *   <li>Optional CUDA-graph padding (off by default): when T ≤ the largest capture size, the
 *       token-indexed ops (dense, MoE) are evaluated at the smallest capture size ≥ T and the
 *       per-sequence ops at the smallest capture size ≥ S, as vLLM replays a graph captured for the
 *       padded batch. Attention uses the real batch. The ranks of a data-parallel group run at the
 *       token count they agreed on instead ({@link BatchShape#dpTokens}).</li>
 * </ul>
 * Every component is clamped at 0 so extrapolation never yields a negative time. The query path does
 * two passes over the batch, a handful of binary searches on primitive arrays and no allocation.
 */
public final class ProfileStepTimeModel implements StepTimeModel {
    private static final String EMBEDDING = "embedding";
    private static final String FINAL_NORM = "final_layernorm";
    private static final String LAYER_NORM = "layernorm";
    private static final String LM_HEAD = "lm_head";
    private static final String SAMPLER = "sampler";

    private final String source;
    private final int numLayers;
    private final PiecewiseLinear[] layerOps;
    private final double[] layerOpCounts;
    private final PiecewiseLinear embedding;
    private final PiecewiseLinear finalNorm;
    private final PiecewiseLinear lmHead;
    private final PiecewiseLinear sampler;
    private final AttentionGrid attention;
    private final SkewAlphaTable skew;
    private final MoeLayerTime moe;
    private final MoeSpec moeSpec;
    private final int[] captureSizes;

    /** A dense model without CUDA-graph padding. */
    public ProfileStepTimeModel(ProfileBundle bundle, int numLayers) {
        this(bundle, numLayers, null, null);
    }

    /**
     * @param moeSpec       routing shape for an MoE model, or null for a dense model
     * @param captureSizes  CUDA-graph capture sizes to pad token-indexed ops to, or null/empty for none
     */
    public ProfileStepTimeModel(ProfileBundle bundle, int numLayers, MoeSpec moeSpec, int[] captureSizes) {
        this(bundle, numLayers, moeSpec, captureSizes, null);
    }

    /**
     * As above, with the MoE layer priced by {@code moeTime} instead of the bundle's {@code moe.csv} as
     * read (null = the table as read); the bundle must still have a table. A non-empty
     * {@link MoeLayerTime#note()} is appended to {@link #source()} as {@code +moe(note)}.
     */
    public ProfileStepTimeModel(ProfileBundle bundle, int numLayers, MoeSpec moeSpec, int[] captureSizes,
                                MoeLayerTime moeTime) {
        if (numLayers < 1) {
            throw new InputException("number of layers must be >= 1, got " + numLayers);
        }
        String moeNote = moeSpec != null && moeTime != null ? moeTime.note() : "";
        this.source = bundle.source() + (moeNote.isEmpty() ? "" : "+moe(" + moeNote + ")");
        this.numLayers = numLayers;
        List<PiecewiseLinear> ops = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (String op : bundle.denseOps()) {
            if (op.equals(EMBEDDING) || op.equals(FINAL_NORM)) {
                continue;
            }
            ops.add(bundle.denseOp(op));
            counts.add(op.equals(LAYER_NORM) ? 2.0 : 1.0);
        }
        this.layerOps = ops.toArray(new PiecewiseLinear[0]);
        this.layerOpCounts = counts.stream().mapToDouble(Double::doubleValue).toArray();
        this.embedding = bundle.denseOp(EMBEDDING);
        this.finalNorm = bundle.denseOp(FINAL_NORM);
        this.lmHead = bundle.perSequenceOp(LM_HEAD);
        this.sampler = bundle.perSequenceOp(SAMPLER);
        this.attention = bundle.attention();
        this.skew = bundle.skew();
        if (moeSpec != null && bundle.moe() == null) {
            throw InputException.at(bundle.dir(), "MoE model given but the bundle has no moe.csv");
        }
        if (moeSpec == null && bundle.moe() != null) {
            throw InputException.at(bundle.dir(), "bundle has moe.csv (an MoE model): number of experts and "
                    + "experts per token are required");
        }
        this.moe = moeTime != null ? moeTime : bundle.moe();
        this.moeSpec = moeSpec;
        int[] sizes = captureSizes == null ? new int[0] : Arrays.stream(captureSizes).distinct().sorted().toArray();
        if (sizes.length > 0 && sizes[0] < 1) {
            throw new InputException("CUDA-graph capture sizes must be >= 1, got " + sizes[0]);
        }
        this.captureSizes = sizes;
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        return Math.round(stepTimeUs(batch) * 1000.0);
    }

    /** The step time in microseconds, unrounded. */
    public double stepTimeUs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0.0;
        }
        long chunk = 0;
        long kvPrefill = 0;
        int nDecode = 0;
        long kvSum = 0;
        long kvMin = Long.MAX_VALUE;
        long kvMax = 0;
        for (int i = 0, n = batch.numPrefills(); i < n; i++) {
            int c = batch.prefillChunk(i);
            if (c > 1) {
                chunk += c;
                kvPrefill += batch.prefillKv(i);
            } else if (c == 1) {
                int kv = batch.prefillKv(i);
                nDecode++;
                kvSum += kv;
                kvMin = Math.min(kvMin, kv);
                kvMax = Math.max(kvMax, kv);
            }
        }
        for (int i = 0, n = batch.numDecodes(); i < n; i++) {
            int kv = batch.decodeKv(i);
            nDecode++;
            kvSum += kv;
            kvMin = Math.min(kvMin, kv);
            kvMax = Math.max(kvMax, kv);
        }
        int sequences = batch.numSequences();
        boolean graph = CudaGraphPadding.graphed(captureSizes, batch) && captureSizes.length > 0;
        double t = Math.max(1, CudaGraphPadding.tokens(captureSizes, batch));
        double s = Math.max(1, graph ? CudaGraphPadding.padUp(captureSizes, sequences) : sequences);

        double perLayer = 0;
        for (int i = 0; i < layerOps.length; i++) {
            perLayer += layerOpCounts[i] * nonNegative(layerOps[i].at(t));
        }
        perLayer += attentionUs(chunk, kvPrefill, nDecode, kvSum, kvMin, kvMax);
        if (moeSpec != null) {
            perLayer += nonNegative(moe.timeUs(t, Math.max(1, moeSpec.activatedExperts(t))));
        }
        double once = nonNegative(embedding.at(t)) + nonNegative(finalNorm.at(t))
                + nonNegative(lmHead.at(s)) + nonNegative(sampler.at(s));
        return numLayers * perLayer + once;
    }

    private double attentionUs(long chunk, long kvPrefill, int nDecode, long kvSum, long kvMin, long kvMax) {
        if (chunk == 0 && nDecode == 0) {
            return 0.0;
        }
        long kvMean = nDecode > 0 ? kvSum / nDecode : 0;
        double tMean = nonNegative(attention.timeUs(chunk, kvPrefill, nDecode, kvMean));
        if (nDecode <= 1 || kvMax == kvMean) {
            return tMean;
        }
        double alpha = skew.alpha(chunk, nDecode, kvMean, kvMin, kvMax, kvPrefill);
        if (alpha == 0.0) {
            return tMean;
        }
        double tMax = nonNegative(attention.timeUs(chunk, kvPrefill, nDecode, kvMax));
        return tMax <= tMean ? tMean : nonNegative(tMean + alpha * (tMax - tMean));
    }


    private static double nonNegative(double v) {
        return v > 0 ? v : 0.0;
    }

    @Override
    public String source() {
        return source;
    }

    public int numLayers() { return numLayers; }

    /** True when token-indexed ops are padded to CUDA-graph capture sizes. */
    public boolean cudaGraphPadding() { return captureSizes.length > 0; }
}
