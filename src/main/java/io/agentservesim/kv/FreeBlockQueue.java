package io.agentservesim.kv;

/**
 * The free block queue of vLLM's block pool ({@code FreeKVCacheBlockQueue} in
 * {@code vllm/v1/core/kv_cache_utils.py}): an intrusive doubly linked list of the blocks whose
 * reference count is zero, in eviction order. The head is evicted (reused) first; freed blocks that
 * still carry a cache hash are appended at the tail so they stay cached as long as possible (LRU);
 * a prefix hit removes a block from the middle in O(1).
 *
 * <p>Blocks are dense int ids; the links live in the pool's {@link BlockRecords} (beside each block's
 * reference count, which every hit and free touches too), with one sentinel record (index
 * {@code capacity}) closing the ring, so no operation allocates and unlinking a block costs one cache line
 * per node touched.
 */
final class FreeBlockQueue {
    private static final int NONE = BlockRecords.NONE;

    /** Holds each block's predecessor and successor (NONE when not queued); record {@code sentinel} closes the ring. */
    private final BlockRecords link;
    private final int sentinel;
    private int size;

    /**
     * An empty queue able to hold block ids {@code 0 .. capacity-1}, linked through {@code records} (which
     * must have {@code capacity + 1} records, all unlinked).
     */
    FreeBlockQueue(BlockRecords records, int capacity) {
        link = records;
        sentinel = capacity;
        link.setPrev(sentinel, sentinel);
        link.setNext(sentinel, sentinel);
    }

    int size() {
        return size;
    }

    boolean contains(int block) {
        return link.next(block) != NONE;
    }

    /** Puts {@code block} at the tail (evicted last). */
    void append(int block) {
        linkAfter(link.prev(sentinel), block);
    }

    /** Puts {@code block} at the head (evicted first). */
    void prepend(int block) {
        linkAfter(sentinel, block);
    }

    /** Removes and returns the head block, or -1 when the queue is empty. */
    int popFirst() {
        int block = link.next(sentinel);
        if (block == sentinel) {
            return NONE;
        }
        remove(block);
        return block;
    }

    /** Unlinks {@code block}, which must be in the queue. */
    void remove(int block) {
        int p = link.prev(block);
        int n = link.next(block);
        if (n == NONE) {
            throw new IllegalStateException("block " + block + " is not in the free queue");
        }
        link.setNext(p, n);
        link.setPrev(n, p);
        link.setPrev(block, NONE);
        link.setNext(block, NONE);
        size--;
    }

    /** Head block id, or -1 when empty; with {@link #after} walks the queue in eviction order. */
    int first() {
        int block = link.next(sentinel);
        return block == sentinel ? NONE : block;
    }

    /** The block after {@code block} in eviction order, or -1 at the tail. */
    int after(int block) {
        int n = link.next(block);
        return n == sentinel ? NONE : n;
    }

    private void linkAfter(int anchor, int block) {
        if (link.next(block) != NONE) {
            throw new IllegalStateException("block " + block + " is already in the free queue");
        }
        int n = link.next(anchor);
        link.setPrev(block, anchor);
        link.setNext(block, n);
        link.setNext(anchor, block);
        link.setPrev(n, block);
        size++;
    }
}
