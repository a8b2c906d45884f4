package io.agentservesim.results;

/**
 * The outcome of one world step of a multi-agent simulation (ns).
 *
 * @param step 0-based index
 * @param startNs when the step's calls were issued (its hints published)
 * @param endNs when its last call returned (= start for a step without calls)
 * @param calls LLM calls in the step
 * @param rejectedCalls calls that no instance could ever run (longer than max_model_len or the KV pool)
 * @param promptTokens prompt tokens of its calls
 * @param hitTokens of those, tokens served from the GPU prefix cache (restored and prefetched ones included)
 * @param maxTtftNs the longest TTFT of its calls (0 without calls)
 */
public record WorldStepRecord(int step, long startNs, long endNs, int calls, int rejectedCalls, long promptTokens,
        long hitTokens, long maxTtftNs) {
    public long durationNs() {
        return endNs - startNs;
    }
}
