package io.agentservesim.residency;

/**
 * A retention policy that reads the plan of a multi-agent simulation: the invocation-distance hints
 * ({@code world.InvocationHints}) published at each world step. The only way hints reach the engine: the
 * instance's residency model ({@link KvResidency}) hands them to its {@link InvocationDistanceCache} when,
 * and only when, its policy implements this; every other policy, router and scheduler never sees them.
 */
public interface PlanAware {
    /**
     * ScaleSim's {@code evict_pri_level} (its AgentManager's {@code hold_step}): cached KV is evicted in passes
     * by the priority of the agents owning it, classes {@code level - 1} (due latest or unknown) first down to
     * 0 (due now) last; 1 or less = plain LRU.
     */
    int evictPriorityLevel();

    /**
     * ScaleSim's {@code load_ahead_step}: at each world step the KV of agents due within this many steps (0:
     * those calling now) is read back from the host tier ahead of their call; -1 = no prefetch (load on demand at admission).
     */
    int loadAheadSteps();

    /** Whether the mechanisms apply to the KV (priority classes, KV prefetch); false: KV is plain LRU + on demand. */
    default boolean managesKv() {
        return true;
    }

    /**
     * Whether they apply to LoRA adapters: adapter slots evicted by the distance of their agents and the adapters of
     * due agents loaded ahead (before their KV); false: adapters LRU, loaded on demand.
     */
    default boolean managesAdapters() {
        return true;
    }
}
