package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Host DRAM over CXL: capacity, LRU demotion down the chain, restores over each tier's own link. */
class HostTierTest {
    private static final int BS = 16;
    private static final long BLOCK_BYTES = 1_000_000; // 1 MB per block keeps the arithmetic readable

    private final BlockPool pool = new BlockPool(64, BS, true);

    @Test
    void blocksEvictedFromDramAreDemotedToCxlAndRestoredFromBothInParallel() {
        // DRAM: 2 blocks behind 10 GB/s (1 MB = 100 us) + 1 us latency; CXL: 8 blocks behind 2 GB/s (500 us) + 2 us.
        HostTier dram = new HostTier("dram", 2, BLOCK_BYTES, new Link("pcie", 10e9, 1_000));
        HostTier cxl = new HostTier("cxl", 8, BLOCK_BYTES, new Link("cxl", 2e9, 2_000));
        dram.demoteTo(cxl);
        KvSequence seq = new KvSequence(IntStream.range(0, 5 * BS).toArray(), 1);

        assertThat(dram.store(pool, seq, 4, 0)).isEqualTo(4);
        assertThat(dram.usedBlocks()).isEqualTo(2);
        assertThat(cxl.usedBlocks()).isEqualTo(2);
        assertThat(dram.demotedBlocks()).isEqualTo(2);
        // The chain holds blocks 0-3 (0 and 1 on CXL, 2 and 3 in DRAM), not block 4.
        assertThat(dram.match(pool, seq, 0, 5)).isEqualTo(4);
        assertThat(dram.match(pool, seq, 3, 2)).isEqualTo(1);

        // Both links are idle again by t = 10 ms. DRAM moves 2 MB: 1 us + 200 us; CXL moves 2 MB: 2 us + 1000 us.
        long now = 10_000_000;
        long done = dram.restore(pool, seq, 0, 4, now);
        assertThat(done).isEqualTo(now + 2_000 + 1_000_000);
        assertThat(dram.restoredBlocks()).isEqualTo(2);
        assertThat(cxl.restoredBlocks()).isEqualTo(2);
    }

    @Test
    void aBusyLinkQueuesTheNextTransfer() {
        Link link = new Link("pcie", 1e9, 0);
        assertThat(link.transfer(0, 1_000_000)).isEqualTo(1_000_000);
        assertThat(link.transfer(500_000, 1_000_000)).isEqualTo(2_000_000);
        assertThat(link.bytesMoved()).isEqualTo(2_000_000);
    }
}
