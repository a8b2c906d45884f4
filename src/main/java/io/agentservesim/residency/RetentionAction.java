package io.agentservesim.residency;

/** What happens to a program's KV when one of its turns ends and its tool call starts. */
public enum RetentionAction {
    /** Stock vLLM: free the blocks into the prefix cache; they stay reusable until LRU evicts them. */
    RELEASE,
    /** Drop the blocks and their cache entries now: the next turn recomputes the whole context. */
    EVICT,
    /** Hold the blocks for the program (not evictable) until a deadline or the next turn. */
    PIN,
    /** Copy the blocks to the host tier over the host link, then free them on the GPU (LRU-evictable). */
    OFFLOAD
}
