package io.agentservesim.perf.roofline;

import io.agentservesim.perf.CudaGraphPadding;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.parallel.MoeRouting;

/**
 * Step time from a GPU's published specs: every operator of a decoder layer at its roofline
 * ({@link OperatorCosts}), with the same op composition as {@code ProfileStepTimeModel} so the two are
 * comparable op by op:
 *
 * <pre>
 * step = L × ( qkv + o_proj + gate_up + down            GEMMs at T tokens (or MoE experts)
 *            + 2 × rmsnorm + rotary + act                memory-bound elementwise
 *            + attention(actual prefill chunks, decode contexts)
 *            + 2 × all-reduce(T × hidden)                under TP, after attention and after the MLP )
 *        + embedding + final norm + lm_head(S) + sampler(S) + step overhead
 * </pre>
 * Under tensor parallelism of degree N (Megatron-LM, Shoeybi et al. 2019) each GPU holds 1/N of the
 * heads, of the MLP width, of the experts' width and of the vocabulary; KV heads are replicated when
 * N exceeds their count. Attention FLOPs of a chunk of c tokens over k cached ones are
 * 4·c·(k + c/2)·heads·headDim (QKᵀ and PV, causal); attention reads the chunk's K/V context and
 * every decode's whole K/V context. MoE: vLLM's fused-MoE kernels ({@link FusedMoeKernel}): two grouped
 * GEMMs over the token-expert pairs and activated experts of the busiest expert shard of a
 * {@link MoeRouting} (default: balanced, no expert parallelism: tokens × k pairs and min(E, tokens × k)
 * experts), plus activation, zero-fill and top-k sum over all tokens × k pairs; the router GEMM and
 * per-head q/k norms are left out (under 1 % of a layer).
 *
 * <p>Expert parallelism of degree EP (vLLM's {@code --enable-expert-parallel}: the experts of each MoE
 * layer are spread over the EP GPUs whole, not split in width, while attention stays tensor-parallel):
 * the busiest shard's experts set the MoE GEMMs' time (the streaming kernels still cover every pair),
 * and the MoE output's all-reduce is replaced by an
 * all-to-all dispatch and combine ({@link OperatorCosts#allToAllUs}) of that shard's pairs × hidden. Host scheduling overhead is not part of it (see {@code StepTimeModels}).
 * The query does one pass over the batch with no allocation; all shape constants are set here.
 */
public final class RooflineStepTimeModel implements StepTimeModel {
    private final String source;
    private final double heads;
    private final double kvHeads;
    private final OperatorCosts costs;
    private final int tp;
    private final int layers;
    private final int dtype;
    /** Linear weights quantized (fewer bytes than the activations, or a faster tensor rate): priced apart. */
    private final boolean quantized;
    private final double weightBytes;
    private final double speedup;
    private final double hidden;
    private final double qkvWidth;
    private final double qWidth;
    private final double mlpWidth;
    private final double vocabShard;
    private final double vocab;
    private final double ropeWidth;
    private final double kvBytesPerTokenLayer;
    private final double headDim;
    private final AttentionKernel kernel;
    private final boolean moe;
    private final double experts;
    private final double expertsPerToken;
    private final FusedMoeKernel moeKernel;
    private final double stepOverheadUs;
    private final int[] captureSizes;
    private final MoeRouting routing;
    private final int ep;

    public RooflineStepTimeModel(GpuSpec gpu, ModelShape model, int tp, RooflineEfficiency efficiency) {
        this(gpu, model, tp, efficiency, null);
    }

    /**
     * As above, with CUDA-graph padding: when a step's tokens fit the largest of {@code captureSizes}
     * (null or empty = eager, no padding), token-indexed ops are priced at the smallest capture size
     * &ge; tokens and per-sequence ops at the smallest &ge; sequences, as vLLM replays the graph
     * captured for the padded batch (same convention as {@code ProfileStepTimeModel}).
     */
    public RooflineStepTimeModel(GpuSpec gpu, ModelShape model, int tp, RooflineEfficiency efficiency,
            int[] captureSizes) {
        this(gpu, model, tp, efficiency, captureSizes, null);
    }

    /**
     * As above, with an MoE model's expert routing and expert-parallel degree ({@code routing} null =
     * balanced, EP 1; ignored for a dense model).
     */
    public RooflineStepTimeModel(GpuSpec gpu, ModelShape model, int tp, RooflineEfficiency efficiency,
            int[] captureSizes, MoeRouting routing) {
        String where = "roofline " + gpu.id() + " / " + model.name() + " / tp" + tp;
        if (tp < 1) {
            throw new InputException(where + ": tensor-parallel degree must be >= 1, got " + tp);
        }
        if (model.numAttentionHeads() % tp != 0) {
            throw new InputException(where + ": tensor-parallel degree " + tp + " does not divide the "
                    + model.numAttentionHeads() + " attention heads");
        }
        double weightsPerGpu = (double) model.weightBytes() / tp;
        if (weightsPerGpu > gpu.memoryBytes()) {
            throw new InputException(String.format(java.util.Locale.ROOT,
                    "%s: model %s does not fit: %.1f GiB of weights per GPU at tp%d > %.1f GiB on %s",
                    where, model.name(), weightsPerGpu / (1L << 30), tp, gpu.memoryBytes() / (double) (1L << 30), gpu.id()));
        }
        this.routing = !model.isMoe() ? null : routing != null ? routing : MoeRouting.balanced(model.numExperts());
        if (this.routing != null && this.routing.experts() != model.numExperts()) {
            throw new InputException(where + ": routing over " + this.routing.experts() + " experts, model has "
                    + model.numExperts());
        }
        this.ep = this.routing == null ? 1 : this.routing.expertParallelSize();
        boolean defaultRouting = this.routing == null || (ep == 1 && this.routing.kind() == MoeRouting.Kind.BALANCED);
        this.source = "roofline:" + gpu.id() + "/" + model.name() + "/tp" + tp
                + (defaultRouting ? "" : "/" + this.routing.label())
                + (model.weights().quantized(model.dtypeBytes()) ? "/" + model.weights().name() : "")
                + (model.kvBytes() != model.dtypeBytes() ? "/kv-" + model.kvBytes() * 8 + "bit" : "");
        this.costs = new OperatorCosts(gpu, efficiency);
        this.tp = tp;
        this.layers = model.numLayers();
        this.dtype = model.dtypeBytes();
        this.hidden = model.hiddenSize();
        this.kvHeads = Math.max(1, model.numKeyValueHeads() / tp);
        this.heads = (double) model.numAttentionHeads() / tp;
        this.qWidth = heads * model.headDim();
        this.qkvWidth = (heads + 2.0 * kvHeads) * model.headDim();
        this.ropeWidth = (heads + kvHeads) * model.headDim();
        this.kvBytesPerTokenLayer = 2.0 * kvHeads * model.headDim() * model.kvBytes();
        this.weightBytes = model.weights().bytesPerWeight();
        this.speedup = costs.tensorSpeedup(model.weights().compute());
        this.quantized = weightBytes != dtype || speedup != 1.0;
        this.headDim = model.headDim();
        this.kernel = AttentionKernel.forGpu(gpu);
        this.mlpWidth = (double) model.intermediateSize() / tp;
        this.vocab = model.vocabSize();
        this.vocabShard = (double) model.vocabSize() / tp;
        this.moe = model.isMoe();
        this.experts = model.numExperts();
        this.expertsPerToken = model.expertsPerToken();
        double expertWidth = ep > 1 ? model.moeIntermediateSize() : (double) model.moeIntermediateSize() / tp;
        this.moeKernel = quantized
                ? new FusedMoeKernel(hidden, expertWidth, expertsPerToken, dtype, weightBytes, speedup)
                : new FusedMoeKernel(hidden, expertWidth, expertsPerToken, dtype);
        this.stepOverheadUs = efficiency.stepOverheadNs() * 1e-3;
        this.captureSizes = captureSizes == null ? new int[0]
                : java.util.Arrays.stream(captureSizes).filter(c -> c >= 1).distinct().sorted().toArray();
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0L;
        }
        return Math.round((computeUs(batch) + allReduceUs(batch) + allToAllUs(batch)) * 1000.0);
    }

    /** GPU compute time of the step in µs: every operator, no collectives. */
    public double computeUs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0.0;
        }
        boolean graph = CudaGraphPadding.graphed(captureSizes, batch) && captureSizes.length > 0;
        double t = CudaGraphPadding.tokens(captureSizes, batch);
        double s = graph ? CudaGraphPadding.padUp(captureSizes, batch.numSequences()) : batch.numSequences();
        double perLayer = opUs(Op.QKV, t) + opUs(Op.O_PROJ, t) + 2.0 * opUs(Op.LAYERNORM, t) + opUs(Op.ROTARY, t)
                + (moe ? opUs(Op.MOE, t) : opUs(Op.GATE_UP, t) + opUs(Op.DOWN, t) + opUs(Op.ACT, t))
                + attentionUs(batch);
        double once = opUs(Op.EMBEDDING, t) + opUs(Op.FINAL_NORM, t) + opUs(Op.LM_HEAD, s) + opUs(Op.SAMPLER, s);
        return layers * perLayer + once + stepOverheadUs;
    }

    /**
     * The MoE layers' share of {@link #computeUs} in µs: every layer's {@link Op#MOE} at the step's
     * (padded) tokens; 0 for a dense model. A data-parallel group prices its ranks without it
     * ({@code DataParallelMoeStepTimeModel}) and its MoE layers at the whole group's tokens.
     */
    public double moeLayersUs(BatchShape batch) {
        if (!moe || batch.isEmpty()) {
            return 0.0;
        }
        return layers * opUs(Op.MOE, CudaGraphPadding.tokens(captureSizes, batch));
    }

    /**
     * Tensor-parallel collective time of the step in µs: two all-reduces per layer over T × hidden
     * activations (after attention and after the MLP), one under expert parallelism (the MoE output is
     * combined by the all-to-all instead), plus the step's all-gather of the logits
     * ({@link #logitsAllGatherUs}).
     */
    public double allReduceUs(BatchShape batch) {
        if (tp == 1 || batch.isEmpty()) {
            return 0.0;
        }
        return layers * (ep > 1 ? 1.0 : 2.0) * costs.allReduceUs(batch.totalTokens() * hidden * dtype, tp)
                + logitsAllGatherUs(batch);
    }

    /**
     * vLLM V1's gather of the vocab-parallel logits at TP &gt; 1, once per step: the LM head leaves each rank
     * vocab / tp logits of every scheduled sequence, and {@code LogitsProcessor._gather_logits} all-gathers
     * them (V1 uses all-gather, not gather, because every rank runs the sampler: vLLM PR #9856) over NCCL
     * ({@code tensor_model_parallel_all_gather}, pynccl). Each rank receives (tp − 1)/tp of sequences ×
     * vocab × dtype bytes; the sequences are padded to the CUDA graph like the LM head's. Priced with the
     * NCCL all-gather ({@link OperatorCosts#ncclAllGatherUs}). A cost that grows with TP and batch size;
     * 0 at TP 1.
     */
    public double logitsAllGatherUs(BatchShape batch) {
        if (tp == 1 || batch.isEmpty()) {
            return 0.0;
        }
        boolean graph = CudaGraphPadding.graphed(captureSizes, batch) && captureSizes.length > 0;
        double s = graph ? CudaGraphPadding.padUp(captureSizes, batch.numSequences()) : batch.numSequences();
        return costs.ncclAllGatherUs((tp - 1.0) / tp * s * vocab * dtype, tp);
    }

    /**
     * Expert-parallel all-to-all time of the step in µs: per MoE layer a dispatch and a combine, each
     * moving the busiest shard's token-expert pairs × hidden × dtype; 0 without expert parallelism.
     */
    public double allToAllUs(BatchShape batch) {
        if (ep == 1 || batch.isEmpty()) {
            return 0.0;
        }
        double pairs = routing.maxShardPairs(batch.totalTokens() * expertsPerToken);
        return layers * 2.0 * costs.allToAllUs(pairs * hidden * dtype, ep);
    }

    /**
     * A linear layer of the decoder (QKV, O, gate-up, down) at {@code x} tokens: the BF16 roofline, or with
     * quantized weights their bytes and tensor rate ({@link io.agentservesim.model.WeightFormat}). Activations
     * stay at the model dtype in both (FP8 W8A8 quantizes them inside the GEMM; the m×k input read is a small
     * share at the batch sizes where weights dominate).
     */
    private double linearUs(double x, double k, double n) {
        return quantized ? costs.gemmUs(x, k, n, weightBytes, dtype, speedup) : costs.gemmUs(x, k, n, dtype);
    }

    /**
     * One call of {@code op} on one GPU in µs, at {@code x} tokens (or sequences for lm_head and
     * sampler). A dense model's MOE and an MoE model's GATE_UP/DOWN/ACT are 0.
     */
    public double opUs(Op op, double x) {
        return switch (op) {
            case QKV -> linearUs(x, hidden, qkvWidth);
            case O_PROJ -> linearUs(x, qWidth, hidden);
            case GATE_UP -> moe ? 0.0 : linearUs(x, hidden, 2.0 * mlpWidth);
            case DOWN -> moe ? 0.0 : linearUs(x, mlpWidth, hidden);
            case LAYERNORM, FINAL_NORM -> costs.elementwiseUs(2.0 * x * hidden * dtype);    // RMSNorm: read, write
            case ROTARY -> costs.elementwiseUs(2.0 * x * ropeWidth * dtype);               // q and k in place
            case ACT -> moe ? 0.0 : costs.elementwiseUs(3.0 * x * mlpWidth * dtype);        // SiLU-and-mul
            case EMBEDDING -> costs.elementwiseUs(2.0 * x * hidden * dtype);
            case MOE -> moe ? moeUs(x) : 0.0;
            case LM_HEAD -> costs.gemmUs(x, hidden, vocabShard, dtype);
            case SAMPLER -> costs.samplerUs(x * vocab * 4.0);                              // fp32 logits
        };
    }

    /**
     * The MoE layer of {@code t} tokens: vLLM's fused-MoE kernels ({@link FusedMoeKernel}) on the busiest
     * expert shard, in chunks of {@link FusedMoeKernel#CHUNK_TOKENS} tokens (each chunk re-reads its
     * experts' weights). Under expert parallelism the GEMMs see the shard's pairs and activated experts,
     * while the activation, zero-fill and top-k sum see all t·k pairs. Each expert's rows are padded to
     * whole tiles whose height follows the mean rows per activated expert of the whole layer.
     */
    private double moeUs(double t) {
        double us = 0;
        for (double done = 0; done < t; done += FusedMoeKernel.CHUNK_TOKENS) {
            double chunk = Math.min(FusedMoeKernel.CHUNK_TOKENS, t - done);
            double pairs = chunk * expertsPerToken;
            double routed = routing.maxShardPairs(pairs);
            double activated = Math.min(experts, routing.maxShardActivated(pairs));
            double tile = costs.moeTileRows(pairs / routing.activatedExperts(pairs));
            double padding = routed > 0 ? routing.maxShardPaddedRows(pairs, tile) / routed : 1.0;
            us += moeKernel.us(costs, chunk, routed, activated, padding, ep > 1);
        }
        return us;
    }

    /**
     * One layer's attention for the step's actual chunks and decode contexts, in µs. A step with a
     * prefill chunk runs the variable-length (varlen) forward kernel of the GPU's {@link AttentionKernel}
     * over every sequence: one thread block per (query tile, query head), so a decode is a one-query
     * sequence whose block still computes a whole padded tile over its KV. On FlashInfer GPUs the decodes
     * of a mixed step run the decode kernel instead, after the prefills' varlen launch. A pure-decode
     * step runs the split-KV decode kernel.
     */
    public double attentionUs(BatchShape batch) {
        int decodes = batch.numDecodes();
        if (longestChunk(batch) <= 1) {
            // Every sequence has one query: vLLM's backends take the decode path (FlashAttention-2 swaps
            // the GQA group into the query dimension when max_seqlen_q is 1), one-token chunks included.
            double context = 0;
            for (int i = 0, n = batch.numPrefills(); i < n; i++) {
                context += batch.prefillKv(i) + batch.prefillChunk(i);
            }
            for (int i = 0; i < decodes; i++) {
                context += batch.decodeKv(i) + 1.0;
            }
            int sequences = decodes + batch.numPrefills();
            return sequences > 0 ? decodeAttention(sequences, context) : 0.0;
        }
        boolean varlenDecodes = !kernel.separateDecodes();
        double us = 0;
        if (!varlenDecodes && decodes > 0) {
            double decodeContext = 0;
            for (int i = 0; i < decodes; i++) {
                decodeContext += batch.decodeKv(i) + 1.0;
            }
            us += decodeAttention(decodes, decodeContext);
        }
        double tile = kernel.queryTile();
        double flops = 0;
        double maxBlock = 0;
        double tiles = 0;
        double kvTokens = 0;
        double queries = 0;
        for (int i = 0, n = batch.numPrefills(); i < n; i++) {
            double c = batch.prefillChunk(i);
            double kv = batch.prefillKv(i);
            double t = Math.ceil(c / tile);
            tiles += t;
            flops += varlenFlops(t, kv, c);
            maxBlock = Math.max(maxBlock, kv + c);
            kvTokens += kv + c;
            queries += c;
        }
        if (varlenDecodes) {
            for (int i = 0; i < decodes; i++) {
                double kv = batch.decodeKv(i);
                flops += varlenFlops(1.0, kv, 1.0);
                maxBlock = Math.max(maxBlock, kv + 1.0);
                kvTokens += kv + 1.0;
            }
            tiles += decodes;
            queries += decodes;
        }
        return us + varlen(flops, maxBlock, tiles, kvTokens, queries);
    }

    /** One layer's attention for one prefill chunk over {@code kvPrefill} tokens and equal decodes, in µs. */
    public double attentionUs(double chunk, double kvPrefill, double nDecode, double kvDecode) {
        if (chunk <= 1) {
            double sequences = nDecode + (chunk > 0 ? 1 : 0);
            double context = nDecode * (kvDecode + 1.0) + (chunk > 0 ? kvPrefill + chunk : 0);
            return sequences > 0 ? decodeAttention(sequences, context) : 0.0;
        }
        double tiles = Math.ceil(chunk / kernel.queryTile());
        double prefill = varlenFlops(tiles, kvPrefill, chunk);
        if (kernel.separateDecodes() || nDecode <= 0) {
            return varlen(prefill, kvPrefill + chunk, tiles, kvPrefill + chunk, chunk)
                    + (nDecode > 0 ? decodeAttention(nDecode, nDecode * (kvDecode + 1.0)) : 0.0);
        }
        return varlen(prefill + nDecode * varlenFlops(1.0, kvDecode, 1.0), Math.max(kvPrefill + chunk, kvDecode + 1.0),
                tiles + nDecode, kvPrefill + chunk + nDecode * (kvDecode + 1.0), chunk + nDecode);
    }

    private static long longestChunk(BatchShape batch) {
        long longest = 0;
        for (int i = 0, n = batch.numPrefills(); i < n; i++) {
            longest = Math.max(longest, batch.prefillChunk(i));
        }
        return longest;
    }

    /**
     * The varlen launch: {@code flops} over {@code tilesPerHead × heads} blocks, the longest of which sees
     * {@code maxKeys} keys; {@code kvTokens} of K/V context read; {@code queries} rows of Q in and O out.
     */
    private double varlen(double flops, double maxKeys, double tilesPerHead, double kvTokens, double queries) {
        double maxBlockFlops = 4.0 * kernel.queryTile() * maxKeys * headDim;
        return costs.varlenAttentionUs(flops, maxBlockFlops, tilesPerHead * heads, tilesPerHead, heads / kvHeads,
                kvTokens * kvBytesPerTokenLayer, 2.0 * queries * qWidth * dtype, kernel.blockPerTile());
    }

    /**
     * Tensor-core FLOPs of a sequence's blocks in the variable-length kernel: each of its {@code tiles}
     * query tiles is a full query tile (padded for a short chunk or a decode) over the keys it sees, on
     * average {@code kv + c/2} under the causal mask; QKᵀ and PV, every query head.
     */
    private double varlenFlops(double tiles, double kv, double c) {
        return 4.0 * tiles * kernel.queryTile() * (kv + c / 2.0) * qWidth;
    }

    private double decodeAttention(double decodes, double decodeContext) {
        double decodeFlops = 4.0 * decodeContext * qWidth;
        double decodeBytes = decodeContext * kvBytesPerTokenLayer + 2.0 * decodes * qWidth * dtype;
        return costs.decodeAttentionUs(decodeFlops, decodeBytes, decodes * kvHeads);
    }


    @Override
    public String source() {
        return source;
    }

    public int tp() { return tp; }

    /** Expert-parallel degree (1 for a dense model or without expert parallelism). */
    public int ep() { return ep; }

    /** The MoE routing priced, or null for a dense model. */
    public MoeRouting routing() { return routing; }
}
