package io.agentservesim.kv;

/**
 * Map from block hash to the cached blocks holding that hash ({@code BlockHashToBlockMap} in
 * {@code vllm/v1/core/block_pool.py}).
 *
 * <p>vLLM does not de-duplicate: when two requests fill identical blocks concurrently, both blocks
 * are registered under the same hash so that block tables stay append-only. A lookup returns the
 * earliest registered block still present. Here the map points at the first block of a per-hash
 * chain threaded through an int array in registration order; chains are almost always of length 1.
 */
final class CachedBlockIndex {
    private static final int NONE = -1;

    private final HashToBlockTable firstBlock;
    private final int[] nextSameHash;
    /**
     * Per block, how many times it has left the index: a block whose generation is unchanged since it was
     * seen as the head of its hash's chain still is that head (heads change only when removed), so
     * {@link #get} of its hash still returns it. 4 bytes a block where the table costs about 16.
     */
    private final int[] generation;
    /** Whether the block is the first of its hash's chain (what {@link #get} returns). */
    private final boolean[] head;
    /** Counts inserts and removals: a lookup's answer stays valid while it is unchanged. */
    private long version;

    CachedBlockIndex(int numBlocks) {
        firstBlock = new HashToBlockTable(numBlocks);
        nextSameHash = new int[numBlocks];
        java.util.Arrays.fill(nextSameHash, NONE);
        generation = new int[numBlocks];
        head = new boolean[numBlocks];
    }

    /** The block's generation (see {@link #generation}). */
    int generation(int block) {
        return generation[block];
    }

    /** Whether {@link #get} of the block's hash returns this block; the block must be registered. */
    boolean isHead(int block) {
        return head[block];
    }

    /** The earliest registered block with {@code hash}, or -1 on a miss. */
    int get(long hash) {
        return firstBlock.get(hash);
    }

    /** Registers {@code block} under {@code hash}, after any block already holding it. */
    void insert(long hash, int block) {
        version++;
        nextSameHash[block] = NONE;
        int first = firstBlock.putIfAbsent(hash, block);
        if (first == NONE) {
            head[block] = true;
            return;
        }
        head[block] = false;
        int cur = first;
        while (nextSameHash[cur] != NONE) {
            cur = nextSameHash[cur];
        }
        nextSameHash[cur] = block;
    }

    /** Unregisters {@code block} from {@code hash}; the block must be registered there. */
    void remove(long hash, int block) {
        version++;
        generation[block]++;
        int slot = firstBlock.slotOf(hash); // one probe serves the read and the update
        int first = slot < 0 ? NONE : firstBlock.valueAt(slot);
        if (first == block) {
            head[block] = false;
            int successor = nextSameHash[block];
            if (successor == NONE) {
                firstBlock.removeAt(slot);
            } else {
                firstBlock.setAt(slot, successor);
                head[successor] = true;
            }
        } else {
            int cur = first;
            while (cur != NONE && nextSameHash[cur] != block) {
                cur = nextSameHash[cur];
            }
            if (cur == NONE) {
                throw new IllegalStateException("block " + block + " is not cached under its hash");
            }
            nextSameHash[cur] = nextSameHash[block];
        }
        nextSameHash[block] = NONE;
    }

    /** Changes on every insert and removal. */
    long version() {
        return version;
    }

    /** Number of distinct hashes present. */
    int distinctHashes() {
        return firstBlock.size();
    }

    /** Whether {@code block} is reachable from the chain of {@code hash} (for invariant checks). */
    boolean holds(long hash, int block) {
        for (int cur = firstBlock.get(hash); cur != NONE; cur = nextSameHash[cur]) {
            if (cur == block) {
                return true;
            }
        }
        return false;
    }
}
