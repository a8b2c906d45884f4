package io.agentservesim.kv;

/**
 * The free block queue of vLLM's block pool ({@code FreeKVCacheBlockQueue} in
 * {@code vllm/v1/core/kv_cache_utils.py}): an intrusive doubly linked list of the blocks whose
 * reference count is zero, in eviction order. The head is evicted (reused) first; freed blocks that
 * still carry a cache hash are appended at the tail so they stay cached as long as possible (LRU);
 * a prefix hit removes a block from the middle in O(1).
 *
 * <p>Blocks are dense int ids; the links are two int arrays with one sentinel node (index
 * {@code capacity}) closing the ring, so no operation allocates.
 */
final class FreeBlockQueue {
    private static final int NONE = -1;

    private final int[] prev;
    private final int[] next;
    private final int sentinel;
    private int size;

    /** An empty queue able to hold block ids {@code 0 .. capacity-1}. */
    FreeBlockQueue(int capacity) {
        prev = new int[capacity + 1];
        next = new int[capacity + 1];
        java.util.Arrays.fill(prev, NONE);
        java.util.Arrays.fill(next, NONE);
        sentinel = capacity;
        prev[sentinel] = sentinel;
        next[sentinel] = sentinel;
    }

    int size() {
        return size;
    }

    boolean contains(int block) {
        return next[block] != NONE;
    }

    /** Puts {@code block} at the tail (evicted last). */
    void append(int block) {
        linkAfter(prev[sentinel], block);
    }

    /** Puts {@code block} at the head (evicted first). */
    void prepend(int block) {
        linkAfter(sentinel, block);
    }

    /** Removes and returns the head block, or -1 when the queue is empty. */
    int popFirst() {
        int block = next[sentinel];
        if (block == sentinel) {
            return NONE;
        }
        remove(block);
        return block;
    }

    /** Unlinks {@code block}, which must be in the queue. */
    void remove(int block) {
        int p = prev[block];
        int n = next[block];
        if (n == NONE) {
            throw new IllegalStateException("block " + block + " is not in the free queue");
        }
        next[p] = n;
        prev[n] = p;
        prev[block] = NONE;
        next[block] = NONE;
        size--;
    }

    /** Head block id, or -1 when empty; with {@link #after} walks the queue in eviction order. */
    int first() {
        int block = next[sentinel];
        return block == sentinel ? NONE : block;
    }

    /** The block after {@code block} in eviction order, or -1 at the tail. */
    int after(int block) {
        int n = next[block];
        return n == sentinel ? NONE : n;
    }

    private void linkAfter(int anchor, int block) {
        if (next[block] != NONE) {
            throw new IllegalStateException("block " + block + " is already in the free queue");
        }
        int n = next[anchor];
        prev[block] = anchor;
        next[block] = n;
        next[anchor] = block;
        prev[n] = block;
        size++;
    }
}
