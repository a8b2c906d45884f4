package io.agentservesim.kv;

/**
 * Map from block hash to the cached blocks holding that hash ({@code BlockHashToBlockMap} in
 * {@code vllm/v1/core/block_pool.py}).
 *
 * <p>vLLM does not de-duplicate: when two requests fill identical blocks concurrently, both blocks
 * are registered under the same hash so that block tables stay append-only. A lookup returns the
 * earliest registered block still present. Here the map points at the first block of a per-hash
 * chain threaded through the blocks' records in registration order; chains are almost always of length 1.
 */
final class CachedBlockIndex {
    private static final int NONE = -1;

    private final HashToBlockTable firstBlock;
    /**
     * Per block (in the pool's records): how many times it has left the index, and whether it is the first
     * of its hash's chain (what {@link #get} returns). A block whose generation is unchanged since it was seen
     * as a head still is that head (heads change only when removed), so {@link #get} of its hash still
     * returns it.
     */
    private final BlockRecords records;
    /** Counts inserts and removals: a lookup's answer stays valid while it is unchanged. */
    private long version;

    CachedBlockIndex(int numBlocks, BlockRecords records) {
        firstBlock = new HashToBlockTable(numBlocks);
        this.records = records;
    }

    /** The block's generation (see {@link #generation}). */
    int generation(int block) {
        return records.generation(block);
    }

    /** Whether {@link #get} of the block's hash returns this block; the block must be registered. */
    boolean isHead(int block) {
        return records.head(block);
    }

    /** The earliest registered block with {@code hash}, or -1 on a miss. */
    int get(long hash) {
        return firstBlock.get(hash);
    }

    /** Registers {@code block} under {@code hash}, after any block already holding it. */
    void insert(long hash, int block) {
        version++;
        records.setNextSameHash(block, NONE);
        int first = firstBlock.putIfAbsent(hash, block);
        if (first == NONE) {
            records.setHead(block, true);
            return;
        }
        records.setHead(block, false);
        int cur = first;
        while (records.nextSameHash(cur) != NONE) {
            cur = records.nextSameHash(cur);
        }
        records.setNextSameHash(cur, block);
    }

    /** Unregisters {@code block} from {@code hash}; the block must be registered there. */
    void remove(long hash, int block) {
        version++;
        records.bumpGeneration(block);
        int slot = firstBlock.slotOf(hash); // one probe serves the read and the update
        int first = slot < 0 ? NONE : firstBlock.valueAt(slot);
        if (first == block) {
            records.setHead(block, false);
            int successor = records.nextSameHash(block);
            if (successor == NONE) {
                firstBlock.removeAt(slot);
            } else {
                firstBlock.setAt(slot, successor);
                records.setHead(successor, true);
            }
        } else {
            int cur = first;
            while (cur != NONE && records.nextSameHash(cur) != block) {
                cur = records.nextSameHash(cur);
            }
            if (cur == NONE) {
                throw new IllegalStateException("block " + block + " is not cached under its hash");
            }
            records.setNextSameHash(cur, records.nextSameHash(block));
        }
        records.setNextSameHash(block, NONE);
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
        for (int cur = firstBlock.get(hash); cur != NONE; cur = records.nextSameHash(cur)) {
            if (cur == block) {
                return true;
            }
        }
        return false;
    }
}
