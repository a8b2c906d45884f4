package io.agentservesim.cluster;

/**
 * The outcome of one turn (ns unless named otherwise).
 *
 * @param hitTokens prompt tokens served from the GPU prefix cache (restored ones included)
 * @param recomputedTokens context tokens the program had already computed in earlier turns that this turn
 *     computed again (evicted or lost KV)
 * @param restoredBytes KV bytes read back from the host tier before the turn could queue
 */
public record TurnRecord(int programId, int turnIndex, int instance, long arrivalNs, int promptTokens,
                         int outputTokens, long ttftNs, long tpotNs, boolean hasTpot, long e2eNs, long queueingNs,
                         int hitTokens, int recomputedTokens, long restoredBytes, int preemptions) {
}
