package io.agentservesim.kv;

/**
 * Per-block bookkeeping of one pool, laid out as one record of four ints per block: reference count,
 * free-queue predecessor and successor, and a meta word (cached and head-of-chain flags, index generation).
 *
 * <p>Why one array: a turn re-touches every block of its context (a prefix hit checks the generation and
 * the reference count, unlinks the block from the free queue and raises its count; a free lowers it and
 * links it back), and a 64-instance cluster's pools are far out of cache. With the four fields in four
 * arrays each touch of a block costs up to four cache misses; in one 16-byte record (four per 64-byte line,
 * never straddling one) it costs one. vLLM keeps the same fields on its {@code KVCacheBlock} objects
 * ({@code ref_cnt}, {@code prev_free_block}/{@code next_free_block}, {@code block_hash}).
 *
 * <p>Record {@code capacity - 1} may serve as a list sentinel. Generation: how many times the block left the
 * prefix-cache index, modulo 2^29 (a hint taken 2^29 removals of the same block earlier could be mistaken
 * for a current one; at one removal per block per turn that is beyond any run).
 */
final class BlockRecords {
    static final int NONE = -1;

    private static final int REF = 0;
    private static final int PREV = 1;
    private static final int NEXT = 2;
    private static final int META = 3;
    private static final int CACHED = 1 << 30;
    private static final int HEAD = 1 << 29;
    private static final int GEN_MASK = HEAD - 1;

    private final int[] r;

    /** Records {@code 0 .. capacity-1}: count 0, unlinked, not cached, generation 0. */
    BlockRecords(int capacity) {
        r = new int[4 * capacity];
        for (int b = 0; b < capacity; b++) {
            r[4 * b + PREV] = NONE;
            r[4 * b + NEXT] = NONE;
        }
    }

    int ref(int b) {
        return r[4 * b + REF];
    }

    void setRef(int b, int count) {
        r[4 * b + REF] = count;
    }

    /** Adds {@code delta} to the block's reference count and returns the new count. */
    int addRef(int b, int delta) {
        return r[4 * b + REF] += delta;
    }

    int prev(int b) {
        return r[4 * b + PREV];
    }

    int next(int b) {
        return r[4 * b + NEXT];
    }

    void setPrev(int b, int p) {
        r[4 * b + PREV] = p;
    }

    void setNext(int b, int n) {
        r[4 * b + NEXT] = n;
    }

    boolean cached(int b) {
        return (r[4 * b + META] & CACHED) != 0;
    }

    void setCached(int b, boolean cached) {
        int i = 4 * b + META;
        r[i] = cached ? r[i] | CACHED : r[i] & ~CACHED;
    }

    boolean head(int b) {
        return (r[4 * b + META] & HEAD) != 0;
    }

    void setHead(int b, boolean head) {
        int i = 4 * b + META;
        r[i] = head ? r[i] | HEAD : r[i] & ~HEAD;
    }

    int generation(int b) {
        return r[4 * b + META] & GEN_MASK;
    }

    void bumpGeneration(int b) {
        int i = 4 * b + META;
        int m = r[i];
        r[i] = (m & ~GEN_MASK) | ((m + 1) & GEN_MASK);
    }
}
