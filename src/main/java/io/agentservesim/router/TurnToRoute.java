package io.agentservesim.router;

import io.agentservesim.kv.KvSequence;

/**
 * A ready turn asking for an instance.
 *
 * @param programId the program it belongs to
 * @param turnIndex its index in the program
 * @param homeInstance the instance that ran the program's previous turn (and so may hold its KV), or -1
 * @param kv the turn's block hashes (for prefix-aware routing; do not allocate with it)
 * @param promptTokens the turn's prompt length
 */
public record TurnToRoute(int programId, int turnIndex, int homeInstance, KvSequence kv, int promptTokens) {
}
