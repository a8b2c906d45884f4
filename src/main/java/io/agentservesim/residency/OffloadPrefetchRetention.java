package io.agentservesim.residency;

/**
 * Offload at every turn end, like {@link OffloadRetention}, and read a program's KV back as soon as its
 * next turn arrives instead of when it is admitted: the transfer overlaps the turn's queueing, at the
 * cost of holding GPU blocks while it waits (the prefetch of agent-aware offloading systems, e.g.
 * ScaleSim's prefetch of agents due soon; here the due turn is the one that has arrived, since policies
 * may not know the future).
 */
public final class OffloadPrefetchRetention implements RetentionPolicy {
    public static final String NAME = "offload-prefetch";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return ctx.toolName() == null || !ctx.hasHostTier() ? RetentionDecision.RELEASE : RetentionDecision.OFFLOAD;
    }

    @Override
    public boolean prefetchOnArrival() {
        return true;
    }

    @Override
    public boolean needsHostTier() {
        return true;
    }
}
