package io.agentservesim.router;

import io.agentservesim.kv.KvSequence;

/** What a router may read about one instance, now. */
public interface InstanceView {
    int id();

    int numWaiting();

    int numRunning();

    /** (locked + pinned KV blocks) / usable blocks of this instance's GPU pool, in [0, 1]. */
    double kvPressure();

    /** Prompt tokens of {@code seq} (of {@code numTokens} tokens) that this instance's GPU prefix cache holds. */
    int cachedPrefixTokens(KvSequence seq, int numTokens);
}
