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
}
