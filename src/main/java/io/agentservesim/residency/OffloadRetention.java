package io.agentservesim.residency;

/**
 * Offload at every turn end: the program's full blocks are copied to the host tier (their GPU copies
 * stay in the LRU prefix cache until evicted), and its next turn reads back from the host what the GPU
 * lost. This is vLLM's native KV offloading ({@code kv_offloading_backend: native}, the
 * OffloadingConnector), which stores every computed block in CPU memory; a program that is done is
 * released without a copy.
 */
public final class OffloadRetention implements RetentionPolicy {
    public static final String NAME = "offload";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return ctx.toolName() == null || !ctx.hasHostTier() ? RetentionDecision.RELEASE : RetentionDecision.OFFLOAD;
    }

    @Override
    public boolean needsHostTier() {
        return true;
    }
}
