package io.agentservesim.sched;


/**
 * A llama.cpp-server-like baseline as AgentServe compares with it (issue 17's definition): first come, first
 * served, no chunked prefill, one sequence's prompt per step, batched with the running decodes (continuous
 * batching over {@code n_parallel} slots). Pair it with {@code enable_chunked_prefill: false} and
 * {@code max_num_batched_tokens >= max_model_len} (the example does). Deliberately simpler than llama-server
 * itself, which fills an {@code n_batch} batch with decode tokens first and then prompt tokens of possibly
 * several slots, split at {@code n_batch}; left out as well: CPU-side sampling, {@code n_ubatch} micro-batches,
 * context shifting.
 */
public final class LlamaCppPolicy implements FcfsOrder {
    public static final String NAME = "llama-cpp";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int maxPrefillsPerStep() {
        return 1;
    }
}
