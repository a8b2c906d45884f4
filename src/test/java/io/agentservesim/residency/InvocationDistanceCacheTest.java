package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.world.InvocationHints;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * ScaleSim's priority eviction and prefetch ahead on a small pool, by hand: 16-token blocks, agents whose last
 * call left 2 (or 3) full blocks, evict_pri_level 4 (classes 3, 2, 1, 0 evicted in that order).
 */
class InvocationDistanceCacheTest {
    private static final int BS = 16;
    private static final int U = InvocationHints.UNKNOWN;
    private static final long BLOCK_BYTES = 1_000_000; // 1 MB per block: 1 ms over a 1 GB/s link

    private static InvocationDistanceCache cache(BlockPool pool, HostTier host, boolean priority) {
        return new InvocationDistanceCache(pool, host,
                new InvocationDistanceRetention(new InvocationDistanceOptions(4, 2, priority, true)));
    }

    /** A sequence of {@code blocks} full blocks of tokens distinct from every other call's. */
    private static KvSequence call(int id, int blocks) {
        return new KvSequence(IntStream.range(0, blocks * BS).map(t -> id * 10_000 + t).toArray(), id);
    }

    /** The agent's 2-block call runs (its blocks are allocated and cached), ends, and its blocks are freed. */
    private static KvSequence runAndFree(BlockPool pool, InvocationDistanceCache c, int agent, KvSequence seq) {
        assertThat(pool.allocateSlots(seq, 0, 0, 2 * BS)).isTrue();
        c.record(agent, seq);
        pool.free(seq);
        return seq;
    }

    private static boolean onGpu(BlockPool pool, KvSequence seq) {
        return pool.cachedBlock(pool.blockHashOf(seq, 0)) >= 0 && pool.cachedBlock(pool.blockHashOf(seq, 1)) >= 0;
    }

    /** A new 2-block call allocates: the two blocks at the head of the eviction order are evicted. */
    private static void allocateTwo(BlockPool pool, int id) {
        assertThat(pool.allocateSlots(call(id, 2), 0, 0, 2 * BS)).isTrue();
    }

    @Test
    void evictionTakesAgentsDueLatestFirstAndThoseDueNowLast() {
        BlockPool pool = new BlockPool(9, BS, true); // 8 usable blocks: four agents of 2 blocks fill it
        InvocationDistanceCache c = cache(pool, null, true);
        KvSequence[] s = new KvSequence[4];
        for (int a = 0; a < 4; a++) {
            s[a] = runAndFree(pool, c, a, call(a, 2)); // LRU order: agent 0 oldest ... agent 3 newest
        }
        // Distances: agent 0 calls now (class 0), agent 1 in 3 steps (class 3), agent 2 next step (class 1),
        // agent 3 unknown (priority 5, class 3). Order: 1, 3 (class 3, LRU), then 2, then 0.
        c.onHints(InvocationHints.of(0, new int[] {0, 3, 1, U}));
        allocateTwo(pool, 100);
        assertThat(onGpu(pool, s[1])).isFalse();
        assertThat(onGpu(pool, s[0]) && onGpu(pool, s[2]) && onGpu(pool, s[3])).isTrue();
        allocateTwo(pool, 101);
        assertThat(onGpu(pool, s[3])).isFalse();
        allocateTwo(pool, 102);
        assertThat(onGpu(pool, s[2])).isFalse();
        assertThat(onGpu(pool, s[0])).isTrue();
    }

    @Test
    void withoutPriorityEvictionItIsLru() {
        BlockPool pool = new BlockPool(9, BS, true);
        InvocationDistanceCache c = cache(pool, null, false);
        KvSequence[] s = new KvSequence[4];
        for (int a = 0; a < 4; a++) {
            s[a] = runAndFree(pool, c, a, call(a, 2));
        }
        c.onHints(InvocationHints.of(0, new int[] {0, 3, 1, U}));
        allocateTwo(pool, 100);
        assertThat(onGpu(pool, s[0])).isFalse(); // the oldest, though it calls now
        assertThat(onGpu(pool, s[1])).isTrue();
    }

    @Test
    void aBlockTakesThePriorityOfItsSoonestOwner() {
        BlockPool pool = new BlockPool(5, BS, true); // 4 usable blocks
        InvocationDistanceCache c = cache(pool, null, true);
        KvSequence shared = call(7, 2); // older: owned by agents 1 (d 3) and 2 (d 1)
        assertThat(pool.allocateSlots(shared, 0, 0, 2 * BS)).isTrue();
        c.record(1, shared);
        c.record(2, shared);
        pool.free(shared);
        KvSequence own = runAndFree(pool, c, 0, call(8, 2));    // newer: agent 0 (d 2)
        c.onHints(InvocationHints.of(0, new int[] {2, 3, 1}));
        allocateTwo(pool, 100);
        assertThat(onGpu(pool, own)).isFalse();   // class 2 goes before class min(3, 1) = 1
        assertThat(onGpu(pool, shared)).isTrue();
    }

    @Test
    void prefetchLoadsAgentsInDistanceOrderAndStopsAtTheFirstThatDoesNotFit() {
        BlockPool pool = new BlockPool(9, BS, true); // 8 usable
        HostTier host = new HostTier("dram", 100, BLOCK_BYTES, new Link("pcie", 1e9, 0));
        InvocationDistanceCache c = cache(pool, host, true);
        int[] blocksOf = {0, 3, 3, 1};
        KvSequence[] s = {null, call(1, 3), call(2, 3), call(3, 1)};
        for (int a = 1; a <= 3; a++) {
            assertThat(pool.allocateSlots(s[a], 0, 0, blocksOf[a] * BS)).isTrue();
            c.record(a, s[a]);
            host.store(pool, s[a], s[a].numRegisteredBlocks(), 0);
            pool.evict(s[a]); // only the host tier holds it now
        }
        KvSequence running = call(9, 3);
        assertThat(pool.allocateSlots(running, 0, 0, 3 * BS)).isTrue(); // 3 blocks locked: 5 free
        // Agent 0 calls now (nothing of it on the host), agents 1 and 2 next step, agent 3 in two steps.
        c.onHints(InvocationHints.of(0, new int[] {0, 1, 1, 2}));
        long now = 10_000_000;
        long blocks = c.prefetchAhead(now);
        // Agent 1: 3 blocks <= 5 free: read (3 ms). Agent 2: 3 blocks > 5 - 3 still in flight: stop; agent 3's one
        // block would fit but the round has stopped.
        assertThat(blocks).isEqualTo(3);
        assertThat(pool.cachedBlock(pool.blockHashOf(s[1], 2))).isNotNegative();
        assertThat(pool.cachedBlock(pool.blockHashOf(s[2], 0))).isNegative();
        assertThat(pool.cachedBlock(pool.blockHashOf(s[3], 0))).isNegative();
        assertThat(c.prefetchStops()).isEqualTo(1);
        assertThat(c.readyNs(1, now)).isEqualTo(now + 3_000_000);
        assertThat(c.readyNs(3, now)).isEqualTo(now);
    }

    @Test
    void prefetchLoadsEachDueAgentsAdapterBeforeItsKvAndStopsAtTheFirstAdapterWithoutASlot() {
        BlockPool pool = new BlockPool(9, BS, true); // 8 usable
        Link link = new Link("pcie", 1e9, 0); // adapters and KV share the host link, first come first served
        HostTier host = new HostTier("dram", 100, BLOCK_BYTES, link);
        InvocationDistanceCache c = cache(pool, host, true);
        // 2 GPU slots for 4 per-agent adapters of 2 MB (2 ms each over the link).
        io.agentservesim.lora.AdapterPool adapters = new io.agentservesim.lora.AdapterPool(2, 4, 2_000_000, link,
                io.agentservesim.lora.AdapterEviction.PRIORITY);
        c.useAdapters(adapters, a -> a);
        KvSequence[] s = new KvSequence[4];
        for (int a = 1; a <= 3; a++) { // agents 1-3 left one block each, now only on the host
            s[a] = call(a, 1);
            assertThat(pool.allocateSlots(s[a], 0, 0, BS)).isTrue();
            c.record(a, s[a]);
            host.store(pool, s[a], 1, 0);
            pool.evict(s[a]);
        }
        long now = 10_000_000;
        assertThat(adapters.acquire(0, 0)).isEqualTo(2_000_000); // agent 0's turn holds its adapter: slot pinned
        // Agent 0 calls now, agents 1 and 2 next step, agent 3 in two steps.
        c.onHints(InvocationHints.of(0, new int[] {0, 1, 1, 2}));
        long blocks = c.prefetchAhead(now);
        // Agent 0: adapter resident (touched). Agent 1: the free slot takes its adapter (2 ms, lands at now + 2 ms),
        // then its KV block (1 ms, behind it on the link: now + 3 ms). Agent 2: slot of adapter 0 pinned, slot of
        // adapter 1 taken in this round: no slot, the round stops; agent 2's KV and agent 3's adapter and KV are
        // not read although one free block would hold each.
        assertThat(adapters.resident(1)).isTrue();
        assertThat(adapters.readyNs(1)).isEqualTo(now + 2_000_000);
        assertThat(c.readyNs(1, now)).isEqualTo(now + 3_000_000);
        assertThat(blocks).isEqualTo(1);
        assertThat(adapters.resident(2)).isFalse();
        assertThat(adapters.resident(3)).isFalse();
        assertThat(pool.cachedBlock(pool.blockHashOf(s[2], 0))).isNegative();
        assertThat(pool.cachedBlock(pool.blockHashOf(s[3], 0))).isNegative();
        assertThat(c.prefetchStops()).isEqualTo(1);
        assertThat(c.prefetchedAdapters()).isEqualTo(1);
    }
}
