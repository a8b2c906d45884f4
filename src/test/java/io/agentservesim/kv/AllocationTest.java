package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllocationTest {
    private static final int BS = 4;
    private static final int[] P12 = Prompts.range(100, 12);

    @Test
    void decodeNeedsABlockOnlyWhenCrossingABoundary() {
        BlockPool pool = new BlockPool(8, BS, true);
        KvSequence a = new KvSequence(P12, 1L);
        assertThat(pool.blocksToAllocate(a, 0, 0, 8)).isEqualTo(2);
        pool.allocateSlots(a, 0, 0, 8);
        assertThat(pool.blocksToAllocate(a, 0, 8, 1)).isEqualTo(1);
        pool.allocateSlots(a, 0, 8, 1);
        assertThat(pool.blocksToAllocate(a, 0, 9, 1)).isZero();
        assertThat(pool.blocksToAllocate(a, 0, 9, 3)).isZero();
        assertThat(pool.blocksToAllocate(a, 0, 9, 4)).isEqualTo(1);
        assertThat(pool.numUsedBlocks()).isEqualTo(3);
        assertThat(pool.allocatedBlocks()).isEqualTo(3);
    }

    @Test
    void hitBlocksInTheFreeQueueCountAgainstTheFreeBlocksAndFailureChangesNothing() {
        BlockPool pool = new BlockPool(5, BS, true); // 4 usable
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        pool.free(a);
        int[] queueBefore = pool.freeQueueOrder();

        KvSequence b = new KvSequence(Prompts.extend(P12, 7, 5), 2L); // 17 tokens
        int hit = pool.findCachedPrefixTokens(b, 17);
        assertThat(hit).isEqualTo(12);
        // ceil(17/4) = 5 blocks: 3 hits + 2 new; the 3 hits sit in the free queue, so 5 > 4 free.
        assertThat(pool.blocksToAllocate(b, hit, 0, 5)).isEqualTo(5);
        assertThat(pool.allocateSlots(b, hit, 0, 5)).isFalse();

        assertThat(b.numBlocks()).isZero();
        assertThat(b.numRegisteredBlocks()).isZero();
        assertThat(pool.freeQueueOrder()).containsExactly(queueBefore);
        assertThat(pool.numFreeBlocks()).isEqualTo(4);
        assertThat(pool.numUsedBlocks()).isZero();
        assertThat(pool.numCachedBlocks()).isEqualTo(3);
        assertThat(pool.evictions()).isZero();
        assertThat(pool.hitBlocks()).isZero();
        pool.checkInvariants();

        // A 4-token chunk fits exactly: 1 new + 3 touched.
        assertThat(pool.blocksToAllocate(b, hit, 0, 4)).isEqualTo(4);
        assertThat(pool.allocateSlots(b, hit, 0, 4)).isTrue();
        assertThat(pool.numFreeBlocks()).isZero();
        assertThat(pool.evictions()).isZero();
        assertThat(pool.numCachedBlocks()).isEqualTo(4);
        pool.checkInvariants();
    }

    @Test
    void hitBlocksHeldByARunningRequestCostNothing() {
        BlockPool pool = new BlockPool(5, BS, true); // 4 usable
        KvSequence a = new KvSequence(P12, 1L);
        pool.allocateSlots(a, 0, 0, 12);
        assertThat(pool.numFreeBlocks()).isEqualTo(1);

        KvSequence b = new KvSequence(Prompts.extend(P12, 7, 5), 2L);
        int hit = pool.findCachedPrefixTokens(b, 17);
        assertThat(hit).isEqualTo(12);
        assertThat(pool.blocksToAllocate(b, hit, 0, 5)).isEqualTo(2);
        assertThat(pool.allocateSlots(b, hit, 0, 5)).isFalse();
        assertThat(pool.blocksToAllocate(b, hit, 0, 4)).isEqualTo(1);
        assertThat(pool.allocateSlots(b, hit, 0, 4)).isTrue();
        assertThat(pool.numFreeBlocks()).isZero();
        assertThat(pool.numUsedBlocks()).isEqualTo(4);
        assertThat(pool.refCount(a.blockId(2))).isEqualTo(2);
        pool.checkInvariants();
    }

    @Test
    void rejectsMalformedRequests() {
        BlockPool pool = new BlockPool(8, BS, true);
        KvSequence a = new KvSequence(P12, 1L);
        assertThatThrownBy(() -> pool.allocateSlots(a, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.allocateSlots(a, 3, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        pool.allocateSlots(a, 0, 0, 12);
        KvSequence b = new KvSequence(P12, 1L);
        pool.allocateSlots(b, 0, 0, 1);
        // b already holds a block: hits are only taken at admission.
        assertThatThrownBy(() -> pool.allocateSlots(b, 4, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockPool(0, BS, true)).isInstanceOf(IllegalArgumentException.class);
    }
}
