package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * InferCept's wastes and per-step re-weighing by hand, on a linear step-time model T(x) = 10 ms + 10 us
 * per token with a saturation budget S = 1,000 tokens: T(S) = 20 ms and a chunk of k tokens adds 10 us x k.
 * Wastes are in token x ns; 1 token x s = 1e9.
 */
class MinWasteTest {
    private static final double TOKEN_S = 1e9;
    private static final StepTimeModel LINEAR = new StepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape b) {
            return 10_000_000L + 10_000L * b.totalTokens();
        }

        @Override
        public String source() {
            return "linear";
        }
    };
    private final MinWaste waste = new MinWaste(new ForwardModel(LINEAR, 1_000));

    @Test
    void chunkedDiscardWasteOnAnIdleBatch() {
        // 2,500 tokens in chunks of 1,000: n = 2 before the last 500. Own KV waits T(S) = 20 ms per chunk:
        // 0.02 x (3 x 2 / 2) x 1,000 = 60; the running batch's 10,000 tokens slow by 10 ms per full chunk and
        // 5 ms for the last: (0.01 x 2 + 0.005) x 10,000 = 250. Total 310 token x s.
        assertThat(waste.discard(2_500, 0, 10_000) / TOKEN_S).isCloseTo(310, within(1e-6));
        // Preserving the same context through one more second: 2,500 token x s.
        assertThat(MinWaste.preserve(1_000_000_000L, 2_500) / TOKEN_S).isEqualTo(2_500);
    }

    @Test
    void aBusyBatchLeavesSmallerChunksAndMakesDiscardDearer() {
        // 600 tokens in flight: chunks of 400, n = 6 before the last 100. Own: 0.02 x 21 x 400 = 168; others:
        // (0.004 x 6 + 0.001) x 10,000 = 250. Total 418.
        assertThat(waste.discard(2_500, 600, 10_000) / TOKEN_S).isCloseTo(418, within(1e-6));
    }

    @Test
    void eachStepMovesPausedContextsThatCostMoreToKeepWithinTheSwapBudget() {
        BlockPool pool = new BlockPool(64, 16, true);
        // 1 MB blocks over 1 GB/s: a 2 ms step moves 2 blocks.
        HostTier host = new HostTier("dram", 100, 1_000_000, new Link("pcie", 1e9, 0));
        InterceptionReweigh reweigh = new InterceptionReweigh(waste, pool, host, 1_000_000);
        List<Pin> pins = new ArrayList<>();
        long now = 50_000_000_000L;
        pins.add(pinned(pool, 0, now + 10_000_000_000L, 1));  // 10 s left: keep 800, recompute 8 -> leaves, swapped
        pins.add(pinned(pool, 1, now + 10_000_000_000L, 2));  // the same, but the budget is spent: discarded
        pins.add(pinned(pool, 2, now + 1_000_000L, 3));        // 1 ms left: keep 0.08 < recompute 8 -> stays
        List<String> exits = new ArrayList<>();
        reweigh.newStep(2_000_000);
        reweigh.onStep(pins, now, 0, 10_000,
                (p, t, bytes, swapped) -> exits.add(p.programId + ":" + bytes + ":" + swapped));
        // Recompute of 80 tokens on an idle batch: one chunk, 0.8 ms x 10,000 running tokens = 8 token x s.
        assertThat(exits).containsExactly("0:2000000:true", "1:0:false");
        assertThat(host.usedBlocks()).isEqualTo(2);
        assertThat(host.link().bytesMoved()).isEqualTo(2_000_000);
    }

    /** A 5-block (80-token) context of program {@code id}, registered in the pool, pinned until {@code deadline}. */
    private static Pin pinned(BlockPool pool, int id, long deadline, long salt) {
        KvSequence seq = new KvSequence(IntStream.range(1000 * (int) salt, 1000 * (int) salt + 81).toArray(), salt);
        assertThat(pool.allocateSlots(seq, 0, 0, 80)).isTrue();
        assertThat(seq.numRegisteredBlocks()).isEqualTo(5);
        return new Pin(id, seq, deadline, id, 80);
    }
}
