package io.agentservesim.perf.roofline;

/**
 * One MoE layer call of vLLM's Triton fused-MoE path on one GPU, kernel by kernel, as
 * {@code fused_experts_impl} in {@code vllm/model_executor/layers/fused_moe/fused_moe.py} runs it in the
 * recent vLLM source read for this (the one that passes {@code ignore_invalid_experts=True} to
 * {@code moe_align_block_size}; NVIDIA AIConfigurator's tables were measured on vLLM 0.19 through
 * {@code fused_experts}), for one chunk of at most {@link #CHUNK_TOKENS} tokens:
 * <ol>
 *   <li>{@code moe_align_block_size}: two small launches that count and sort the T·k token-expert pairs by
 *       expert, padding each expert's rows to BLOCK_SIZE_M. Under expert parallelism it is called with
 *       {@code ignore_invalid_experts=True}, so only this GPU's pairs are laid out;</li>
 *   <li>{@code fused_moe_kernel} for w13 (gate and up): the local pairs × hidden → 2·width, reading each
 *       activated local expert's weights once;</li>
 *   <li>{@code silu_and_mul} over <b>all</b> T·k rows of {@code intermediate_cache1} (read 2·width,
 *       write width per row), including the rows of experts held by other GPUs;</li>
 *   <li>under expert parallelism ({@code expert_map} given): {@code intermediate_cache3.zero_()} over all
 *       T·k × hidden, so the pairs the GEMM skips sum to zero;</li>
 *   <li>{@code fused_moe_kernel} for w2 (down): local pairs × width → hidden, router weight applied;</li>
 *   <li>{@code moe_sum} (top-k reduction) reading all T·k × hidden and writing T × hidden.</li>
 * </ol>
 * Steps 3, 4 and 6 do not shrink with the expert-parallel degree: they are why a measured EP8 kernel is
 * 1.8–2.9× faster than EP1, not 8× ({@code io.agentservesim.calibrate.MoeEpValidation}). The GEMMs are priced at the Triton
 * kernel's own FLOP fraction ({@link OperatorCosts#moeGemmUs}: it gathers its rows by pointer and reaches
 * well below cuBLAS on Hopper and Blackwell); the streaming kernels at the MoE bandwidth fraction capped
 * per SM ({@link OperatorCosts#moeStreamUs}). Each launch pays the per-kernel GEMM overhead. Left out: the
 * router GEMM and top-k (outside {@code fused_experts}); L2 residency of a small call's weights or caches
 * (a benchmark that repeats one call on a GPU with a 128 MB L2 measures below the DRAM bound; in a served
 * model the other layers evict them, and the calibration leaves such rows out, {@code io.agentservesim.calibrate.SharedFit#dramReachable}); wave
 * quantisation of the Triton grid on few experts (no split-K; it only matters where the call is bound by
 * its weight stream anyway); the grid blocks beyond the padded rows, which exit at once; the Triton
 * config's BLOCK_SIZE_M per batch (approximated by {@link OperatorCosts#moeTileRows}).
 */
public final class FusedMoeKernel {
    /** {@code VLLM_FUSED_MOE_CHUNK_SIZE}'s default: longer batches run as several calls. */
    public static final double CHUNK_TOKENS = 16 * 1024;

    private final double hidden;
    private final double width;
    private final double topK;
    private final double dtype;
    /** Bytes per expert weight and the tensor-rate speed-up when the experts are quantized; else null path. */
    private final boolean quantized;
    private final double weightBytes;
    private final double speedup;

    /**
     * @param hidden model hidden size
     * @param width  one expert's intermediate width on this GPU (divided by TP when experts are TP-split)
     * @param topK   experts per token
     * @param dtype  bytes per activation and weight element
     */
    public FusedMoeKernel(double hidden, double width, double topK, int dtype) {
        this.hidden = hidden;
        this.width = width;
        this.topK = topK;
        this.dtype = dtype;
        this.quantized = false;
        this.weightBytes = dtype;
        this.speedup = 1.0;
    }

    /** Experts stored at {@code weightBytes} per weight whose GEMMs compute {@code speedup} × the BF16 rate. */
    public FusedMoeKernel(double hidden, double width, double topK, int dtype, double weightBytes, double speedup) {
        this.hidden = hidden;
        this.width = width;
        this.topK = topK;
        this.dtype = dtype;
        this.quantized = true;
        this.weightBytes = weightBytes;
        this.speedup = speedup;
    }

    /**
     * One chunk in µs.
     *
     * @param tokens       tokens of the chunk (all of them, whatever the expert-parallel degree)
     * @param localPairs   token-expert pairs of this GPU's experts
     * @param localExperts distinct experts of this GPU that receive a pair (their weights are read)
     * @param padding      rows computed / localPairs (each expert padded to whole tiles), &ge; 1
     * @param expertMap    true under expert parallelism (zero-fill of the output cache)
     */
    public double us(OperatorCosts costs, double tokens, double localPairs, double localExperts, double padding,
            boolean expertMap) {
        if (tokens <= 0) {
            return 0.0;
        }
        double pairs = tokens * topK;
        double align = 2 * costs.moeStreamUs(3.0 * pairs * Integer.BYTES / 2.0);
        double w13 = quantized
                ? costs.moeGemmUs(2.0 * localPairs * hidden * 2.0 * width, localExperts * 2.0 * width * hidden * weightBytes
                        + localPairs * (hidden + 2.0 * width) * dtype, padding, speedup)
                : costs.moeGemmUs(2.0 * localPairs * hidden * 2.0 * width,
                (localExperts * 2.0 * width * hidden + localPairs * (hidden + 2.0 * width)) * dtype, padding);
        double act = costs.moeStreamUs(pairs * 3.0 * width * dtype);
        double zero = expertMap ? costs.moeStreamUs(pairs * hidden * dtype) : 0.0;
        double w2 = quantized
                ? costs.moeGemmUs(2.0 * localPairs * width * hidden, localExperts * hidden * width * weightBytes
                        + localPairs * (width + hidden) * dtype, padding, speedup)
                : costs.moeGemmUs(2.0 * localPairs * width * hidden,
                (localExperts * hidden * width + localPairs * (width + hidden)) * dtype, padding);
        double sum = costs.moeStreamUs((pairs + tokens) * hidden * dtype);
        return align + w13 + act + zero + w2 + sum;
    }
}
