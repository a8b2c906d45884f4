package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PrefixHitTest {
    private static final int BS = 4;
    private static final int[] P12 = Prompts.range(100, 12);

    @Test
    void lastTokenIsNeverAHitSoAnIdenticalThreeBlockPromptHitsTwoBlocks() {
        BlockPool pool = new BlockPool(16, BS, true);
        KvSequence a = new KvSequence(P12, 1L);
        assertThat(pool.findCachedPrefixTokens(a, 12)).isZero();
        assertThat(pool.allocateSlots(a, 0, 0, 12)).isTrue();
        assertThat(pool.numCachedBlocks()).isEqualTo(3);

        // Identical 12-token prompt: cap = (12 - 1) / 4 = 2 blocks.
        assertThat(pool.findCachedPrefixTokens(new KvSequence(P12, 2L), 12)).isEqualTo(8);
        // One more token: cap = 12 / 4 = 3 blocks, all cached.
        assertThat(pool.findCachedPrefixTokens(new KvSequence(Prompts.extend(P12, 7, 1), 3L), 13)).isEqualTo(12);
        // Shares only the first 8 tokens.
        int[] diverging = Prompts.extend(java.util.Arrays.copyOf(P12, 8), 5000, 8);
        assertThat(pool.findCachedPrefixTokens(new KvSequence(diverging, 4L), 16)).isEqualTo(8);
        // A single token can never hit.
        assertThat(pool.findCachedPrefixTokens(new KvSequence(P12, 5L), 1)).isZero();
        pool.checkInvariants();
    }

    @Test
    void hitsShareBlocksAndIdenticalNewBlocksAreNotDeduplicated() {
        BlockPool pool = new BlockPool(16, BS, true);
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        KvSequence b = new KvSequence(P12, 2L);
        int hit = pool.findCachedPrefixTokens(b, 12);
        assertThat(hit).isEqualTo(8);
        assertThat(pool.blocksToAllocate(b, hit, 0, 4)).isEqualTo(1);
        assertThat(pool.allocateSlots(b, hit, 0, 4)).isTrue();

        assertThat(b.blockId(0)).isEqualTo(a.blockId(0));
        assertThat(b.blockId(1)).isEqualTo(a.blockId(1));
        assertThat(b.blockId(2)).isNotEqualTo(a.blockId(2));
        assertThat(pool.refCount(a.blockId(0))).isEqualTo(2);
        assertThat(pool.refCount(a.blockId(2))).isEqualTo(1);
        assertThat(pool.numUsedBlocks()).isEqualTo(4);
        // b's third block has the same hash as a's and is registered beside it.
        assertThat(pool.numCachedBlocks()).isEqualTo(4);
        assertThat(pool.cachedHash(b.blockId(2))).isEqualTo(pool.cachedHash(a.blockId(2)));
        assertThat(pool.hitBlocks()).isEqualTo(2);

        // After a is freed, a lookup still finds the earliest registered block (a's), then b's.
        int a2 = a.blockId(2);
        pool.free(a);
        assertThat(a.numBlocks()).isZero();
        KvSequence c = new KvSequence(Prompts.extend(P12, 7, 1), 3L);
        assertThat(pool.findCachedPrefixTokens(c, 13)).isEqualTo(12);
        pool.allocateSlots(c, 12, 0, 1);
        assertThat(c.blockId(2)).isEqualTo(a2);
        pool.checkInvariants();
    }

    @Test
    void touchingAFreeCachedBlockTakesItOutOfTheFreeQueue() {
        BlockPool pool = new BlockPool(8, BS, true);
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        int a0 = a.blockId(0);
        int a1 = a.blockId(1);
        pool.free(a);
        assertThat(pool.numFreeBlocks()).isEqualTo(7);
        assertThat(pool.freeQueueOrder()).contains(a0, a1);

        KvSequence b = new KvSequence(P12, 2L);
        assertThat(pool.blocksToAllocate(b, 8, 0, 4)).isEqualTo(3); // 1 new + 2 hits with ref 0
        assertThat(pool.allocateSlots(b, 8, 0, 4)).isTrue();
        assertThat(pool.freeQueueOrder()).doesNotContain(a0, a1);
        assertThat(pool.numFreeBlocks()).isEqualTo(4);
        assertThat(pool.refCount(a0)).isEqualTo(1);
        pool.checkInvariants();
    }

    @Test
    void disabledPrefixCachingNeverHitsNorCaches() {
        BlockPool pool = new BlockPool(16, BS, false);
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        KvSequence b = new KvSequence(Prompts.extend(P12, 7, 1), 2L);
        assertThat(pool.findCachedPrefixTokens(b, 13)).isZero();
        assertThat(pool.numCachedBlocks()).isZero();
        pool.free(a);
        assertThat(pool.findCachedPrefixTokens(b, 13)).isZero();
        assertThat(pool.numCachedBlocks()).isZero();
        assertThatThrownBy(() -> pool.allocateSlots(b, 4, 0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(pool.allocateSlots(b, 0, 0, 13)).isTrue();
        assertThat(pool.hitBlocks()).isZero();
        assertThat(pool.evictions()).isZero();
        pool.checkInvariants();
    }

    @Test
    void preemptedRequestWithoutTokenIdsHitsItsOwnBlocksOnly() {
        BlockPool pool = new BlockPool(32, BS, true);
        KvSequence x = new KvSequence(null, 42L);
        assertThat(pool.allocateSlots(x, 0, 0, 16)).isTrue();
        for (int computed = 16; computed < 20; computed++) {
            assertThat(pool.allocateSlots(x, 0, computed, 1)).isTrue();
        }
        assertThat(x.numBlocks()).isEqualTo(5);
        assertThat(pool.numCachedBlocks()).isEqualTo(5);
        pool.free(x); // preemption

        // 21 tokens known now (one sampled after the last step): cap = 20 / 4 = 5 blocks.
        assertThat(pool.findCachedPrefixTokens(x, 21)).isEqualTo(20);
        assertThat(pool.findCachedPrefixTokens(new KvSequence(null, 43L), 21)).isZero();
        assertThat(pool.allocateSlots(x, 20, 0, 1)).isTrue();
        assertThat(x.numBlocks()).isEqualTo(6);
        assertThat(pool.hitBlocks()).isEqualTo(5);
        pool.checkInvariants();
    }

    @Test
    void generatedTokensOfARequestWithIdsAreNotSharedButItsPromptIs() {
        BlockPool pool = new BlockPool(32, BS, true);
        int[] prompt = Prompts.range(0, 16);
        KvSequence z = new KvSequence(prompt, 44L);
        pool.allocateSlots(z, 0, 0, 16);
        for (int computed = 16; computed < 20; computed++) {
            pool.allocateSlots(z, 0, computed, 1);
        }
        pool.free(z);
        assertThat(pool.findCachedPrefixTokens(z, 21)).isEqualTo(20);
        // Same prompt, different request: its 5th block holds its own outputs, so only the prompt hits.
        assertThat(pool.findCachedPrefixTokens(new KvSequence(prompt, 45L), 21)).isEqualTo(16);
    }

    @Test
    void hitThatWasEvictedMeanwhileIsRejected() {
        BlockPool pool = new BlockPool(4, BS, true); // 3 usable
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        pool.free(a);
        KvSequence b = new KvSequence(P12, 2L);
        assertThat(pool.findCachedPrefixTokens(b, 12)).isEqualTo(8);
        KvSequence other = new KvSequence(null, 9L);
        pool.allocateSlots(other, 0, 0, 12); // evicts all three cached blocks
        assertThat(pool.evictions()).isEqualTo(3);
        assertThatThrownBy(() -> pool.allocateSlots(b, 8, 0, 4)).isInstanceOf(IllegalStateException.class);
        pool.checkInvariants();
    }
}
