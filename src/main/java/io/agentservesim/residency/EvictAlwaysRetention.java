package io.agentservesim.residency;

/**
 * The lower bound: drop a program's KV and its cache entries at every turn end, so every next turn
 * recomputes its whole context (vLLM with prefix caching off, or InferCept's "discard" applied always).
 */
public final class EvictAlwaysRetention implements RetentionPolicy {
    public static final String NAME = "evict-always";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return RetentionDecision.EVICT;
    }
}
