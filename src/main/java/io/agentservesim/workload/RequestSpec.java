package io.agentservesim.workload;

/**
 * One request of a flat workload: arrival, prompt and output lengths, and optionally the prompt's
 * token ids (needed for prefix-cache hits; without them a request never hits).
 *
 * @param id dense index in arrival order, 0-based
 * @param arrivalNs arrival time in simulated nanoseconds
 * @param inputTokens prompt length
 * @param outputTokens tokens to generate (at least 1)
 * @param inputTokenIds prompt token ids, length == inputTokens, or null when the trace has none
 */
public record RequestSpec(int id, long arrivalNs, int inputTokens, int outputTokens, int[] inputTokenIds) {
}
