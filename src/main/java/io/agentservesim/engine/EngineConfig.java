package io.agentservesim.engine;

/**
 * Engine settings of one serving instance, named as vLLM names them.
 *
 * @param maxNumBatchedTokens token budget of one step ({@code max_num_batched_tokens})
 * @param maxNumSeqs running-request cap ({@code max_num_seqs})
 * @param maxModelLen longest sequence (prompt + output) the engine accepts ({@code max_model_len})
 * @param blockSize tokens per KV block ({@code block_size})
 * @param numGpuBlocks KV blocks in the pool, as vLLM reports {@code num_gpu_blocks}
 * @param enablePrefixCaching {@code enable_prefix_caching}
 * @param enableChunkedPrefill {@code enable_chunked_prefill}
 * @param longPrefillTokenThreshold {@code long_prefill_token_threshold}; 0 = off
 * @param reserveFullIsl {@code scheduler_reserve_full_isl}: admission requires blocks for the whole
 *     current sequence, not just the first chunk (vLLM 0.19 default true)
 * @param asyncScheduling {@code async_scheduling}: plan step N+1 while step N runs (vLLM 0.19 default)
 * @param hostOverheadNs time per step spent outside the GPU forward pass that the GPU does not hide
 */
public record EngineConfig(
        int maxNumBatchedTokens,
        int maxNumSeqs,
        int maxModelLen,
        int blockSize,
        int numGpuBlocks,
        boolean enablePrefixCaching,
        boolean enableChunkedPrefill,
        int longPrefillTokenThreshold,
        boolean reserveFullIsl,
        boolean asyncScheduling,
        long hostOverheadNs) {

    public EngineConfig {
        require(maxNumBatchedTokens > 0, "max_num_batched_tokens must be > 0, got " + maxNumBatchedTokens);
        require(maxNumSeqs > 0, "max_num_seqs must be > 0, got " + maxNumSeqs);
        require(maxModelLen > 1, "max_model_len must be > 1, got " + maxModelLen);
        require(blockSize > 0, "block_size must be > 0, got " + blockSize);
        require(numGpuBlocks > 1, "num_gpu_blocks must be > 1, got " + numGpuBlocks);
        require(longPrefillTokenThreshold >= 0, "long_prefill_token_threshold must be >= 0");
        require(hostOverheadNs >= 0, "host overhead must be >= 0");
        require(enableChunkedPrefill || maxNumBatchedTokens >= maxModelLen,
                "without chunked prefill max_num_batched_tokens (" + maxNumBatchedTokens
                        + ") must be >= max_model_len (" + maxModelLen + ")");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
