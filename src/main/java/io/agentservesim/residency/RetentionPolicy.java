package io.agentservesim.residency;

/**
 * Decides where a program's KV lives during a tool gap (one class per published policy, chosen by
 * name). The hooks: at turn end ({@link #onTurnEnd}); the pin is released when the program's next turn
 * is admitted (or at its deadline); under memory pressure the instance breaks soft pins expired-first,
 * then latest-deadline-first.
 */
public interface RetentionPolicy {
    /** Stable kebab-case name used in configs. */
    String name();

    RetentionDecision onTurnEnd(RetentionContext ctx);

    /** Whether the program's offloaded KV is read back when its next turn arrives (prefetch), not at admission. */
    default boolean prefetchOnArrival() {
        return false;
    }

    /**
     * Whether a pin ends when the program's next turn arrives at the instance (after its priority is stamped)
     * rather than when that turn reaches the head of the queue and is admitted.
     */
    default boolean releaseOnArrival() {
        return false;
    }

    /** Whether the policy can use a host tier (OFFLOAD); a config without one is refused before the run. */
    default boolean needsHostTier() {
        return false;
    }
}
