package io.agentservesim.residency;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import it.unimi.dsi.fastutil.longs.LongLinkedOpenHashSet;
import java.util.function.IntToLongFunction;

/**
 * A slower KV tier below GPU HBM (host DRAM, or CXL memory): a capacity in blocks holding KV blocks by
 * their prefix hash, evicted LRU, reached from the GPU over its own {@link Link}. Offloaded blocks are
 * copies: the GPU keeps its own (LRU-evictable) copy, as vLLM's native CPU offloading does. Tiers form a
 * chain (DRAM above CXL): a block the upper tier evicts is demoted to the one below, its bytes moved over
 * that tier's link in the background; a restore reads each block from the highest tier holding it, each
 * tier's share over its own link, in parallel.
 */
public final class HostTier {
    private final String name;
    private final long capacityBlocks;
    private final long bytesPerBlock;
    private final Link link;
    private final LongLinkedOpenHashSet blocks = new LongLinkedOpenHashSet();
    private HostTier lower;
    private long offloadedBlocks;
    private long restoredBlocks;
    private long demotedBlocks;

    public HostTier(String name, long capacityBlocks, long bytesPerBlock, Link link) {
        if (capacityBlocks < 1) {
            throw new IllegalArgumentException(name + ": capacity must hold at least one block");
        }
        this.name = name;
        this.capacityBlocks = capacityBlocks;
        this.bytesPerBlock = bytesPerBlock;
        this.link = link;
    }

    /** Blocks this tier evicts go to {@code tier} instead of being lost. */
    public void demoteTo(HostTier tier) {
        this.lower = tier;
    }

    private void insert(long h, long now) {
        if (blocks.addAndMoveToLast(h) && blocks.size() > capacityBlocks) {
            long evicted = blocks.removeFirstLong();
            if (lower != null) {
                lower.insert(evicted, now);
                lower.link.transfer(now, bytesPerBlock);
                demotedBlocks++;
            }
        }
    }

    /**
     * Stores the first {@code count} blocks of {@code seq} that no tier of the chain holds yet and returns
     * how many were copied (blocks held already are only marked recently used); the oldest blocks make
     * room and move down the chain.
     */
    public int store(BlockPool pool, KvSequence seq, int count, long now) {
        int copied = 0;
        for (int k = 0; k < count; k++) {
            long h = pool.blockHashOf(seq, k);
            HostTier holder = owner(h);
            if (holder != null) {
                holder.blocks.addAndMoveToLast(h); // already stored somewhere in the chain: refresh, no copy
                continue;
            }
            copied++;
            insert(h, now);
        }
        offloadedBlocks += copied;
        return copied;
    }

    /** Consecutive blocks of {@code seq} from block {@code from} (at most {@code max}) held in this chain. */
    public int match(BlockPool pool, KvSequence seq, int from, int max) {
        return match(k -> pool.blockHashOf(seq, k), from, max);
    }

    /** {@link #match(BlockPool, KvSequence, int, int)} for a chain given by its block hashes. */
    public int match(long[] hashes, int from, int max) {
        return match(k -> hashes[k], from, max);
    }

    private int match(IntToLongFunction hashAt, int from, int max) {
        int n = 0;
        while (n < max && owner(hashAt.applyAsLong(from + n)) != null) {
            n++;
        }
        return n;
    }

    private HostTier owner(long h) {
        for (HostTier t = this; t != null; t = t.lower) {
            if (t.blocks.contains(h)) {
                return t;
            }
        }
        return null;
    }

    /** Reads blocks {@code from..from+count-1} back to the GPU; returns when the last one has arrived. */
    public long restore(BlockPool pool, KvSequence seq, int from, int count, long now) {
        return restore(k -> pool.blockHashOf(seq, k), from, count, now);
    }

    /** {@link #restore(BlockPool, KvSequence, int, int, long)} for a chain given by its block hashes. */
    public long restore(long[] hashes, int from, int count, long now) {
        return restore(k -> hashes[k], from, count, now);
    }

    private long restore(IntToLongFunction hashAt, int from, int count, long now) {
        for (int k = from; k < from + count; k++) {
            long h = hashAt.applyAsLong(k);
            HostTier t = owner(h);
            if (t != null) {
                t.blocks.addAndMoveToLast(h);
                t.pending++;
            }
        }
        long done = now;
        for (HostTier t = this; t != null; t = t.lower) {
            if (t.pending > 0) {
                t.restoredBlocks += t.pending;
                done = Math.max(done, t.link.transfer(now, t.pending * bytesPerBlock));
                t.pending = 0;
            }
        }
        return done;
    }

    private int pending;

    public String name() { return name; }
    public Link link() { return link; }
    public long capacityBlocks() { return capacityBlocks; }
    public int usedBlocks() { return blocks.size(); }
    public long offloadedBlocks() { return offloadedBlocks; }
    public long restoredBlocks() { return restoredBlocks; }
    public long demotedBlocks() { return demotedBlocks; }
    public HostTier lower() { return lower; }
}
