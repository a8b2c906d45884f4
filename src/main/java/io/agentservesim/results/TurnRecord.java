package io.agentservesim.results;

import it.unimi.dsi.fastutil.longs.LongArrayList;

import io.agentservesim.engine.PrefillKind;

/**
 * The outcome of one turn, i.e. of one request to the engines (ns unless named otherwise). A flat
 * request workload runs as one-turn programs, so this is also the row of a flat run.
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
 * @param toolName the tool this turn calls when it ends (null: none named)
 * @param toolGapNs the wait after this turn before its next turn may start (the tool call), -1 for a last turn
 * @param tokenTimes times of every token after the first, when per-token latencies are recorded (else
 *     null); the request's own list, to be read during the listener call and not kept
 */
public record TurnRecord(int programId, int turnIndex, int instance, long arrivalNs, int promptTokens,
                         int outputTokens, long ttftNs, long tpotNs, boolean hasTpot, long e2eNs, long queueingNs,
                         int hitTokens, int recomputedTokens, long restoredBytes, int preemptions,
                         int prefillInstance, long prefillQueueNs, long prefillNs, long kvTransferNs, long decodeQueueNs,
                         long kvTransferBytes, long itlP50Ns, long itlP95Ns, long itlMaxNs, String toolName,
                         long toolGapNs, LongArrayList tokenTimes) {

    /** When the last token came (arrival + E2E). */
    public long endNs() {
        return arrivalNs + e2eNs;
    }

    /** When the first token came (arrival + TTFT). */
    public long firstTokenNs() {
        return arrivalNs + ttftNs;
    }

    /** Whether the turn's prefill was cold or a resume, by the share of its prompt cached at admission. */
    public PrefillKind prefillKind() {
        return PrefillKind.of(hitTokens, promptTokens);
    }
}
