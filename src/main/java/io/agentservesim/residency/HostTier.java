package io.agentservesim.residency;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import it.unimi.dsi.fastutil.longs.LongLinkedOpenHashSet;

/**
 * A slower KV tier below GPU HBM (host DRAM, or CXL memory): a capacity in blocks holding KV blocks by
 * their prefix hash, evicted LRU, reached over a {@link Link}. Offloaded blocks are copies: the GPU
 * keeps its own (LRU-evictable) copy, as vLLM's native CPU offloading does.
 */
public final class HostTier {
    private final String name;
    private final long capacityBlocks;
    private final Link link;
    private final LongLinkedOpenHashSet blocks = new LongLinkedOpenHashSet();
    private long offloadedBlocks;
    private long restoredBlocks;

    public HostTier(String name, long capacityBlocks, Link link) {
        if (capacityBlocks < 1) {
            throw new IllegalArgumentException(name + ": capacity must hold at least one block");
        }
        this.name = name;
        this.capacityBlocks = capacityBlocks;
        this.link = link;
    }

    /**
     * Stores the first {@code count} blocks of {@code seq} (those not already here) and returns how many
     * were copied; the oldest blocks make room.
     */
    public int store(BlockPool pool, KvSequence seq, int count) {
        int copied = 0;
        for (int k = 0; k < count; k++) {
            long h = pool.blockHashOf(seq, k);
            if (blocks.addAndMoveToLast(h)) {
                copied++;
                if (blocks.size() > capacityBlocks) {
                    blocks.removeFirstLong();
                }
            }
        }
        offloadedBlocks += copied;
        return copied;
    }

    /** Consecutive blocks of {@code seq} from block {@code from} (at most {@code max}) held here. */
    public int match(BlockPool pool, KvSequence seq, int from, int max) {
        int n = 0;
        while (n < max && blocks.contains(pool.blockHashOf(seq, from + n))) {
            n++;
        }
        return n;
    }

    /** Marks blocks as read back (they stay here, most recently used). */
    public void restored(BlockPool pool, KvSequence seq, int from, int count) {
        for (int k = from; k < from + count; k++) {
            blocks.addAndMoveToLast(pool.blockHashOf(seq, k));
        }
        restoredBlocks += count;
    }

    public String name() { return name; }
    public Link link() { return link; }
    public long capacityBlocks() { return capacityBlocks; }
    public int usedBlocks() { return blocks.size(); }
    public long offloadedBlocks() { return offloadedBlocks; }
    public long restoredBlocks() { return restoredBlocks; }
}
