package io.agentservesim.residency;

/**
 * Settings of the {@code invocation-distance} retention policy ({@code kv.invocation_distance}), with the
 * switches that isolate its two mechanisms for ablations.
 *
 * @param evictPriorityLevel ScaleSim's {@code evict_pri_level} (default 4, its released config), >= 1
 * @param loadAheadStep ScaleSim's {@code load_ahead_step} (default 2), >= 0
 * @param priorityEviction false: LRU eviction (the "no priority eviction" ablation)
 * @param prefetch false: KV read back only at admission (the "no prefetch" ablation; ScaleSim's
 *     {@code disable_prefetch})
 * @param kv false: the two mechanisms leave the KV alone (LRU, write-through, load on demand: the "adapters
 *     only" ablation)
 * @param adapters false: they leave the LoRA adapters alone (LRU slots, loaded on demand: the "KV only"
 *     ablation); without a {@code lora} section there are no adapters
 */
public record InvocationDistanceOptions(int evictPriorityLevel, int loadAheadStep, boolean priorityEviction,
        boolean prefetch, boolean kv, boolean adapters) {
    /** Both kinds of state managed. */
    public InvocationDistanceOptions(int evictPriorityLevel, int loadAheadStep, boolean priorityEviction,
                                     boolean prefetch) {
        this(evictPriorityLevel, loadAheadStep, priorityEviction, prefetch, true, true);
    }

    public InvocationDistanceOptions {
        if (evictPriorityLevel < 1) {
            throw new IllegalArgumentException("invocation_distance.evict_pri_level: expected an integer >= 1, got "
                    + evictPriorityLevel);
        }
        if (loadAheadStep < 0) {
            throw new IllegalArgumentException("invocation_distance.load_ahead_step: expected an integer >= 0, got "
                    + loadAheadStep);
        }
    }

    /** ScaleSim's released configuration (PanZaifeng/KVFlow {@code python/sglang/configs/example.yaml}). */
    public static InvocationDistanceOptions defaults() {
        return new InvocationDistanceOptions(4, 2, true, true);
    }
}
