package io.agentservesim.residency;

/**
 * Offload at every turn end: the program's full blocks are copied to the host tier (their GPU copies
 * stay in the LRU prefix cache until evicted), and its next turn reads back from the host what the GPU
 * lost. This is vLLM's native KV offloading ({@code kv_offloading_backend: native}, the
 * OffloadingConnector), which stores every computed block in CPU memory; a program that is done is
 * released without a copy.
 *
 * <p>Two variants, by when the KV is read back: {@code offload} at the next turn's admission (vLLM's
 * asynchronous KV load), {@code offload-prefetch} as soon as the next turn arrives, so the transfer
 * overlaps its queueing at the cost of holding GPU blocks while it waits (the prefetch of agent-aware
 * offloading systems, e.g. ScaleSim's prefetch of agents due soon; here the due turn is the one that has
 * arrived, since policies may not know the future).
 */
public final class OffloadRetention implements RetentionPolicy {
    public static final String NAME = "offload";
    public static final String PREFETCH_NAME = "offload-prefetch";

    private final boolean prefetch;

    public OffloadRetention(boolean prefetchOnArrival) {
        this.prefetch = prefetchOnArrival;
    }

    @Override
    public String name() {
        return prefetch ? PREFETCH_NAME : NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return ctx.toolName() == null || !ctx.hasHostTier() ? RetentionDecision.RELEASE : RetentionDecision.OFFLOAD;
    }

    @Override
    public boolean prefetchOnArrival() {
        return prefetch;
    }

    @Override
    public boolean needsHostTier() {
        return true;
    }
}
