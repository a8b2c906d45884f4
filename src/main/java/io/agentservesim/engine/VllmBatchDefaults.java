package io.agentservesim.engine;

import java.util.Locale;

/**
 * The {@code max_num_batched_tokens} and {@code max_num_seqs} vLLM resolves when the user gives none, by
 * GPU and usage context, as vLLM 0.1x's {@code EngineArgs.get_batch_defaults} and
 * {@code _set_default_max_num_seqs_and_batched_tokens_args} ({@code vllm/engine/arg_utils.py}) do:
 * <ul>
 *   <li>a GPU with at least 70 GiB of device memory whose name does not contain "a100" (H100, H200,
 *       B200, RTX PRO 6000, MI300x; A100 is excluded because a large budget lowered its throughput, vLLM
 *       PR #17885): 8192 tokens / 1024 sequences for the API server ({@code vllm serve}), 16384 / 1024
 *       offline ({@code LLM} class);</li>
 *   <li>any other GPU: 2048 / 256 for the API server, 8192 / 256 offline;</li>
 *   <li>then, only for the defaulted value: without chunked prefill the token budget is raised to
 *       {@code max_model_len}; the token budget is capped at {@code max_num_seqs x max_model_len}; a
 *       defaulted {@code max_num_seqs} is capped at the token budget.</li>
 * </ul>
 * Left out: TPU and CPU platforms (their own tables), and the {@code ENGINE_CONTEXT} usage context
 * (scheduler defaults 2048 / 128), which no serving front end uses.
 *
 * @param maxNumBatchedTokens the resolved token budget of one step
 * @param maxNumSeqs          the resolved running-request cap
 * @param origin              where the two values came from, printed with the results
 */
public record VllmBatchDefaults(int maxNumBatchedTokens, int maxNumSeqs, String origin) {

    /** vLLM's usage context: how the engine was started. */
    public enum UsageContext {
        /** {@code vllm serve} (OpenAI-compatible API server): what {@code vllm bench serve} measures. */
        API_SERVER("api_server"),
        /** the offline {@code LLM} class ({@code vllm bench throughput}, batch jobs). */
        OFFLINE("offline");

        private final String key;

        UsageContext(String key) {
            this.key = key;
        }

        /** The config name: {@code api_server} or {@code offline}. */
        public String key() {
            return key;
        }

        /** The context named {@code key}; an unknown name is refused naming both accepted. */
        public static UsageContext parse(String key) {
            for (UsageContext c : values()) {
                if (c.key.equals(key)) {
                    return c;
                }
            }
            throw new IllegalArgumentException("unknown usage context '" + key + "'; expected api_server or offline");
        }
    }

    /** vLLM's device-memory threshold for the large defaults: {@code device_memory >= 70 * GiB_bytes}. */
    public static final long LARGE_GPU_BYTES = 70L << 30;

    /**
     * Resolves the two settings: a user's value stays as given; a missing one (null) takes vLLM's default
     * for a GPU of {@code deviceMemoryBytes} named {@code deviceName} in {@code context}.
     */
    public static VllmBatchDefaults resolve(Integer userMaxNumBatchedTokens, Integer userMaxNumSeqs,
            long deviceMemoryBytes, String deviceName, UsageContext context, int maxModelLen,
            boolean enableChunkedPrefill) {
        boolean large = deviceMemoryBytes >= LARGE_GPU_BYTES
                && !deviceName.toLowerCase(Locale.ROOT).contains("a100");
        boolean offline = context == UsageContext.OFFLINE;
        int defaultTokens = large ? (offline ? 16384 : 8192) : (offline ? 8192 : 2048);
        int defaultSeqs = large ? 1024 : 256;
        int seqs = userMaxNumSeqs != null ? userMaxNumSeqs : defaultSeqs;
        int tokens;
        if (userMaxNumBatchedTokens != null) {
            tokens = userMaxNumBatchedTokens;
        } else {
            tokens = enableChunkedPrefill ? defaultTokens : Math.max(maxModelLen, defaultTokens);
            tokens = (int) Math.min((long) seqs * maxModelLen, tokens);
        }
        if (userMaxNumSeqs == null) {
            seqs = Math.min(seqs, tokens);
        }
        String gpu = String.format(Locale.ROOT, "%s, %.0f GiB", deviceName, deviceMemoryBytes / (double) (1L << 30));
        String rule = large ? ">= 70 GiB, not A100" : deviceMemoryBytes >= LARGE_GPU_BYTES ? "A100" : "< 70 GiB";
        String origin;
        if (userMaxNumBatchedTokens != null && userMaxNumSeqs != null) {
            origin = "as configured";
        } else {
            origin = (userMaxNumBatchedTokens == null && userMaxNumSeqs == null ? "both"
                    : userMaxNumBatchedTokens == null ? "max_num_batched_tokens" : "max_num_seqs")
                    + " from vLLM's defaults for " + context.key() + " on " + gpu + " (" + rule + ")";
        }
        return new VllmBatchDefaults(tokens, seqs, origin);
    }

    /** One line for the printed results: the two values and where they came from. */
    public String describe() {
        return "max_num_batched_tokens " + maxNumBatchedTokens + ", max_num_seqs " + maxNumSeqs + " (" + origin + ")";
    }
}
