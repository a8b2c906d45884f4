package io.agentservesim.residency;

/**
 * What a retention policy may know when a turn ends: the present state of the instance and the past
 * of the program and of its tool. Never the true next gap, output length or remaining turns.
 */
public interface RetentionContext {
    long nowNs();

    int programId();

    /** The tool this turn called (its output asked for it), or null when it called none (program done). */
    String toolName();

    /** Gaps observed so far for this tool, across the cluster. */
    GapStats toolGaps();

    /** Gaps observed so far in this program. */
    GapStats programGaps();

    /** Tokens of the program's KV on this instance (the turn's prompt plus its output). */
    int contextTokens();

    /** Bytes of that KV on the GPU. */
    long kvBytes();

    /** (locked + pinned blocks) / usable blocks of the instance's GPU pool, in [0, 1]. */
    double pressure();

    /** Bytes of KV held by the instance's running requests (the batch InferCept weighs waste against). */
    long runningKvBytes();

    /** Whether the instance has a host (DRAM or CXL) tier to offload to. */
    boolean hasHostTier();

    /** Estimated time to recompute the context by prefill on this instance (its step-time model). */
    long recomputeNs();

    /** Estimated time to copy the KV to the host tier, and back, over its link (0 without a tier). */
    long swapOutNs();

    long swapInNs();
}
