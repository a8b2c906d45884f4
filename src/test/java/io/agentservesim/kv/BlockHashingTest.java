package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BlockHashingTest {
    private static final int BS = 4;

    @Test
    void samePrefixIdsGiveSameHashesWhateverTheSalt() {
        KvSequence a = new KvSequence(Prompts.range(10, 12), 1L);
        KvSequence b = new KvSequence(Prompts.range(10, 12), 2L);
        for (int k = 0; k < 3; k++) {
            assertThat(b.blockHash(k, BS)).as("block %d", k).isEqualTo(a.blockHash(k, BS));
        }
        assertThat(a.blockHash(0, BS)).isNotEqualTo(a.blockHash(1, BS));
    }

    @Test
    void differingTokenInBlockOneChangesHashesFromBlockOneOn() {
        int[] ids = Prompts.range(10, 12);
        int[] changed = ids.clone();
        changed[5] = 999;
        KvSequence a = new KvSequence(ids, 7L);
        KvSequence b = new KvSequence(changed, 7L);
        assertThat(b.blockHash(0, BS)).isEqualTo(a.blockHash(0, BS));
        assertThat(b.blockHash(1, BS)).isNotEqualTo(a.blockHash(1, BS));
        // Block 2 has identical tokens, but the chain carries the difference forward.
        assertThat(b.blockHash(2, BS)).isNotEqualTo(a.blockHash(2, BS));
    }

    @Test
    void blocksBeyondKnownIdsAreUniqueToTheSalt() {
        // 10 known ids: blocks 0 and 1 come from tokens, block 2 reaches past them.
        KvSequence a = new KvSequence(Prompts.range(0, 10), 1L);
        KvSequence b = new KvSequence(Prompts.range(0, 10), 2L);
        KvSequence sameSaltAsA = new KvSequence(Prompts.range(0, 10), 1L);
        assertThat(b.blockHash(1, BS)).isEqualTo(a.blockHash(1, BS));
        assertThat(b.blockHash(2, BS)).isNotEqualTo(a.blockHash(2, BS));
        assertThat(sameSaltAsA.blockHash(3, BS)).isEqualTo(a.blockHash(3, BS));

        KvSequence noIdsA = new KvSequence(null, 1L);
        KvSequence noIdsB = new KvSequence(null, 2L);
        assertThat(noIdsB.blockHash(0, BS)).isNotEqualTo(noIdsA.blockHash(0, BS));
        assertThat(noIdsA.blockHash(0, BS)).isNotEqualTo(a.blockHash(0, BS));
    }

    @Test
    void hashesAreMemoizedAndBoundToOneBlockSize() {
        KvSequence a = new KvSequence(Prompts.range(0, 100), 1L);
        long h5 = a.blockHash(5, BS);
        assertThat(a.numHashedBlocks()).isEqualTo(6);
        assertThat(a.blockHash(5, BS)).isEqualTo(h5);
        assertThat(a.blockHash(40, BS)).isNotEqualTo(h5); // grows the array past its initial size
        assertThat(a.numHashedBlocks()).isEqualTo(41);
        assertThatThrownBy(() -> a.blockHash(41, 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyFullBlocksAreHashedAndCached() {
        BlockPool pool = new BlockPool(16, BS, true);
        KvSequence a = new KvSequence(Prompts.range(0, 10), 1L);
        assertThat(pool.allocateSlots(a, 0, 0, 10)).isTrue();
        assertThat(a.numBlocks()).isEqualTo(3);
        assertThat(a.numHashedBlocks()).isEqualTo(2);
        assertThat(a.numRegisteredBlocks()).isEqualTo(2);
        assertThat(pool.numCachedBlocks()).isEqualTo(2);
        assertThat(pool.isCached(a.blockId(2))).isFalse();

        // Two more tokens fill block 2, which is then registered.
        assertThat(pool.allocateSlots(a, 0, 10, 2)).isTrue();
        assertThat(a.numBlocks()).isEqualTo(3);
        assertThat(pool.numCachedBlocks()).isEqualTo(3);
        assertThat(pool.isCached(a.blockId(2))).isTrue();
        pool.checkInvariants();
    }

    @Test
    void carriedHashesEqualFreshOnesAndOnlyNewBlocksAreHashed() {
        int[] context = Prompts.range(0, 40); // turn 1: 22 prompt + 18 output ids; turn 2 sends all 40 + 8 more
        int[] next = java.util.Arrays.copyOf(context, 48);
        for (int i = 40; i < 48; i++) {
            next[i] = 1000 + i;
        }
        KvSequence turn1 = new KvSequence(context, 22, 1L, 40);
        turn1.blockHash(9, BS); // blocks 0-4 from ids, 5-9 synthetic (past the 22 known ids)
        KvSequence turn2 = new KvSequence(next, 48, 2L, 60);
        turn2.carryHashesFrom(turn1);
        KvSequence fresh = new KvSequence(next, 48, 2L, 60);
        assertThat(turn2.blockHash(3, BS)).isEqualTo(fresh.blockHash(3, BS));
        // Only the five token-hashed blocks of turn 1 are carried: its synthetic ones are its own.
        assertThat(turn2.numHashedBlocks()).isEqualTo(5);
        for (int k = 0; k < 15; k++) {
            assertThat(turn2.blockHash(k, BS)).as("block %d", k).isEqualTo(fresh.blockHash(k, BS));
        }
    }

    @Test
    void carriedHashesStopWhereTheIdsDiffer() {
        int[] ids = Prompts.range(0, 32);
        int[] edited = ids.clone();
        edited[13] = -5; // block 3 differs: blocks 0-2 may be carried, the rest must be rehashed
        KvSequence prev = new KvSequence(ids, 1L);
        prev.blockHash(7, BS);
        KvSequence seq = new KvSequence(edited, 32, 1L, 32);
        seq.carryHashesFrom(prev);
        assertThat(seq.blockHash(0, BS)).isEqualTo(prev.blockHash(0, BS));
        assertThat(seq.numHashedBlocks()).isEqualTo(3);
        KvSequence fresh = new KvSequence(edited, 1L);
        for (int k = 0; k < 8; k++) {
            assertThat(seq.blockHash(k, BS)).as("block %d", k).isEqualTo(fresh.blockHash(k, BS));
        }
        assertThat(seq.blockHash(3, BS)).isNotEqualTo(prev.blockHash(3, BS));
    }

    @Test
    void cachedFreeCountFollowsFreeHitAndEviction() {
        BlockPool pool = new BlockPool(8, BS, true); // 7 usable blocks
        KvSequence a = new KvSequence(Prompts.range(0, 10), 1L);
        assertThat(pool.allocateSlots(a, 0, 0, 10)).isTrue(); // 3 blocks, 2 full and cached
        assertThat(pool.numCachedFreeBlocks()).isZero();
        pool.free(a);
        assertThat(pool.numCachedFreeBlocks()).isEqualTo(2);
        KvSequence b = new KvSequence(Prompts.range(0, 10), 2L);
        int hit = pool.findCachedPrefixTokens(b, 10);
        assertThat(hit).isEqualTo(8);
        assertThat(pool.allocateSlots(b, hit, 0, 2)).isTrue(); // both cached blocks leave the free queue
        assertThat(pool.numCachedFreeBlocks()).isZero();
        pool.free(b);
        KvSequence big = new KvSequence(null, 3L);
        assertThat(pool.allocateSlots(big, 0, 0, 28)).isTrue(); // all 7 blocks: the two cached ones are evicted
        assertThat(pool.evictions()).isEqualTo(2);
        assertThat(pool.numCachedFreeBlocks()).isZero();
        pool.checkInvariants();
        pool.free(big);
        assertThat(pool.numCachedFreeBlocks()).isEqualTo(7); // its full blocks carry (synthetic) hashes too
        pool.checkInvariants();
    }
}
