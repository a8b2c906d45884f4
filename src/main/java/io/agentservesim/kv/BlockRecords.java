package io.agentservesim.kv;

/**
 * Per-block bookkeeping of one pool, laid out as one record of eight ints (32 bytes) per block: reference
 * count, free-queue predecessor and successor, a meta word (cached and head-of-chain flags, index
 * generation), the 64-bit hash the block is cached under, and the next block cached under the same hash.
 *
 * <p>Why one array: a turn re-touches every block of its context (a prefix hit checks the generation and
 * the reference count, unlinks the block from the free queue and raises its count; a free lowers it and
 * links it back; registering and evicting it writes and reads its hash and chain link), and a 64-instance
 * cluster's pools are far out of cache. With these fields in six arrays each touch of a block costs up to
 * six cache misses; in one 32-byte record it costs one or two. vLLM keeps the same fields on its {@code KVCacheBlock} objects
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
    private static final int HASH_LO = 4;
    private static final int HASH_HI = 5;
    private static final int NEXT_SAME = 6;
    private static final int STRIDE = 8;
    private static final int CACHED = 1 << 30;
    private static final int HEAD = 1 << 29;
    private static final int GEN_MASK = HEAD - 1;

    private final int[] r;

    /** Records {@code 0 .. capacity-1}: count 0, unlinked, not cached, generation 0, no same-hash successor. */
    BlockRecords(int capacity) {
        r = new int[STRIDE * capacity];
        for (int b = 0; b < capacity; b++) {
            r[STRIDE * b + PREV] = NONE;
            r[STRIDE * b + NEXT] = NONE;
            r[STRIDE * b + NEXT_SAME] = NONE;
        }
    }

    long hash(int b) {
        int i = STRIDE * b;
        return (long) r[i + HASH_HI] << 32 | (r[i + HASH_LO] & 0xFFFF_FFFFL);
    }

    void setHash(int b, long hash) {
        int i = STRIDE * b;
        r[i + HASH_LO] = (int) hash;
        r[i + HASH_HI] = (int) (hash >>> 32);
    }

    /** The next block registered under the same hash, or NONE. */
    int nextSameHash(int b) {
        return r[STRIDE * b + NEXT_SAME];
    }

    void setNextSameHash(int b, int next) {
        r[STRIDE * b + NEXT_SAME] = next;
    }

    int ref(int b) {
        return r[STRIDE * b + REF];
    }

    void setRef(int b, int count) {
        r[STRIDE * b + REF] = count;
    }

    /** Adds {@code delta} to the block's reference count and returns the new count. */
    int addRef(int b, int delta) {
        return r[STRIDE * b + REF] += delta;
    }

    int prev(int b) {
        return r[STRIDE * b + PREV];
    }

    int next(int b) {
        return r[STRIDE * b + NEXT];
    }

    void setPrev(int b, int p) {
        r[STRIDE * b + PREV] = p;
    }

    void setNext(int b, int n) {
        r[STRIDE * b + NEXT] = n;
    }

    boolean cached(int b) {
        return (r[STRIDE * b + META] & CACHED) != 0;
    }

    void setCached(int b, boolean cached) {
        int i = STRIDE * b + META;
        r[i] = cached ? r[i] | CACHED : r[i] & ~CACHED;
    }

    boolean head(int b) {
        return (r[STRIDE * b + META] & HEAD) != 0;
    }

    void setHead(int b, boolean head) {
        int i = STRIDE * b + META;
        r[i] = head ? r[i] | HEAD : r[i] & ~HEAD;
    }

    int generation(int b) {
        return r[STRIDE * b + META] & GEN_MASK;
    }

    void bumpGeneration(int b) {
        int i = STRIDE * b + META;
        int m = r[i];
        r[i] = (m & ~GEN_MASK) | ((m + 1) & GEN_MASK);
    }
}
