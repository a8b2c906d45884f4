package io.agentservesim.lora;

/** Which unpinned adapter slot an adapter that needs one takes over. */
public enum AdapterEviction {
    /** The least recently used (SGLang's default {@code --lora-eviction-policy lru}). */
    LRU,
    /**
     * The one whose agents call latest (largest invocation distance), least recently used among equals: ScaleSim's
     * {@code LoRAMemoryPool} picks the slot of the largest priority value.
     */
    PRIORITY
}
