package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvictionOrderTest {
    private static final int BS = 4;

    @Test
    void nullBlockIsReservedAndTheRestStartFreeInIdOrder() {
        BlockPool pool = new BlockPool(5, BS, true);
        assertThat(pool.numBlocks()).isEqualTo(5);
        assertThat(pool.numUsableBlocks()).isEqualTo(4);
        assertThat(pool.numFreeBlocks()).isEqualTo(4);
        assertThat(pool.freeQueueOrder()).containsExactly(1, 2, 3, 4);
        assertThat(pool.usage()).isZero();
        pool.checkInvariants();
    }

    @Test
    void leastRecentlyFreedRequestIsEvictedFirstAndItsTailBlockBeforeItsHead() {
        BlockPool pool = new BlockPool(5, BS, true);
        KvSequence a = new KvSequence(Prompts.range(0, 8), 1L);
        KvSequence b = new KvSequence(Prompts.range(100, 8), 2L);
        pool.allocateSlots(a, 0, 0, 8);
        pool.allocateSlots(b, 0, 0, 8);
        assertThat(new int[] {a.blockId(0), a.blockId(1), b.blockId(0), b.blockId(1)}).containsExactly(1, 2, 3, 4);
        assertThat(pool.usage()).isEqualTo(1.0);

        pool.free(a);
        pool.free(b);
        assertThat(pool.freeQueueOrder()).containsExactly(2, 1, 4, 3);
        assertThat(pool.numCachedBlocks()).isEqualTo(4);

        KvSequence c = new KvSequence(Prompts.range(500, 4), 3L);
        pool.allocateSlots(c, 0, 0, 4);
        assertThat(c.blockId(0)).isEqualTo(2); // a's tail block
        assertThat(pool.evictions()).isEqualTo(1);
        assertThat(pool.numCachedBlocks()).isEqualTo(4); // 3 survivors + c's own full block
        // a keeps only its first block; b is intact.
        assertThat(pool.findCachedPrefixTokens(new KvSequence(Prompts.range(0, 9), 4L), 9)).isEqualTo(4);
        assertThat(pool.findCachedPrefixTokens(new KvSequence(Prompts.range(100, 9), 5L), 9)).isEqualTo(8);

        KvSequence d = new KvSequence(Prompts.range(900, 8), 6L);
        pool.allocateSlots(d, 0, 0, 8);
        assertThat(new int[] {d.blockId(0), d.blockId(1)}).containsExactly(1, 4);
        assertThat(pool.evictions()).isEqualTo(3);
        pool.checkInvariants();
    }

    @Test
    void partialBlockWithoutHashIsReusedBeforeAnyCachedBlockIsEvicted() {
        BlockPool pool = new BlockPool(6, BS, true);
        KvSequence a = new KvSequence(Prompts.range(0, 10), 1L);
        pool.allocateSlots(a, 0, 0, 10); // blocks 1, 2 full and cached, 3 partial
        pool.free(a);
        assertThat(pool.freeQueueOrder()).containsExactly(3, 4, 5, 2, 1);

        KvSequence c = new KvSequence(Prompts.range(500, 4), 2L);
        pool.allocateSlots(c, 0, 0, 4);
        assertThat(c.blockId(0)).isEqualTo(3);
        assertThat(pool.evictions()).isZero();
        assertThat(pool.findCachedPrefixTokens(new KvSequence(Prompts.range(0, 10), 3L), 10)).isEqualTo(8);
        pool.checkInvariants();
    }

    @Test
    void withoutCachingFreedBlocksAreReusedMostRecentTailFirst() {
        BlockPool pool = new BlockPool(6, BS, false);
        KvSequence a = new KvSequence(Prompts.range(0, 12), 1L);
        pool.allocateSlots(a, 0, 0, 12);
        pool.free(a);
        assertThat(pool.freeQueueOrder()).containsExactly(3, 2, 1, 4, 5);
        pool.checkInvariants();
    }
}
