package io.agentservesim.cluster;

import io.agentservesim.engine.PrefillKind;

/**
 * The outcome of one turn (ns unless named otherwise).
 *
 * @param hitTokens prompt tokens served from the GPU prefix cache (restored ones included)
 * @param recomputedTokens context tokens the program had already computed in earlier turns that this turn
 *     computed again (evicted or lost KV)
 * @param restoredBytes KV bytes read back from the host tier before the turn could queue
 * @param instance the instance that produced the last token (the decode instance in a P/D cluster)
 * @param prefillInstance the instance that ran the prefill (= instance unless P/D)
 * @param prefillQueueNs arrival to first admission on the prefill instance
 * @param prefillNs first admission to the first token on the prefill instance
 * @param kvTransferNs P/D: decode admission to the prompt's KV on the decode instance (link queueing included)
 * @param decodeQueueNs P/D: first token to admission on the decode instance; TTFT is the sum of the four
 * @param kvTransferBytes P/D: KV bytes one tensor-parallel rank moved over the link
 * @param itlP50Ns median of the turn's inter-token latencies (gaps between consecutive output tokens, a
 *     preemption's stall included, as vLLM's benchmark measures ITL); 0 with one output token
 * @param itlP95Ns 95th percentile of the same gaps (numpy's linear interpolation)
 * @param itlMaxNs the largest of the same gaps (the worst stall a user saw while the turn streamed)
 */
public record TurnRecord(int programId, int turnIndex, int instance, long arrivalNs, int promptTokens,
                         int outputTokens, long ttftNs, long tpotNs, boolean hasTpot, long e2eNs, long queueingNs,
                         int hitTokens, int recomputedTokens, long restoredBytes, int preemptions,
                         int prefillInstance, long prefillQueueNs, long prefillNs, long kvTransferNs, long decodeQueueNs,
                         long kvTransferBytes, long itlP50Ns, long itlP95Ns, long itlMaxNs) {

    /** Whether the turn's prefill was cold or a resume, by the share of its prompt cached at admission. */
    public PrefillKind prefillKind() {
        return PrefillKind.of(hitTokens, promptTokens);
    }
}
