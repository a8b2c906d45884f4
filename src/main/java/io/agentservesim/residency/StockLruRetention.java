package io.agentservesim.residency;

/**
 * Stock vLLM (v1 prefix caching): when a turn ends its blocks are freed into the prefix cache and stay
 * reusable until LRU eviction reclaims them. No knowledge of tools or gaps.
 */
public final class StockLruRetention implements RetentionPolicy {
    public static final String NAME = "stock-lru";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return RetentionDecision.RELEASE;
    }
}
