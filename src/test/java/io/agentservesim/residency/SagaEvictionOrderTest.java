package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * SAGA's eviction order by hand: program A (3 blocks, last seen at 0 s) and B (2 blocks, last seen at 10 s)
 * sit in a full prefix cache, A freed last so that LRU would evict B first. With nothing known about reuse
 * (no program has been seen to continue), A scores 0.3 x 1 + 0.5 + 0.2 x 1 = 1.0 and B 0.3 x 0 + 0.5 +
 * 0.2 x 2/3 = 0.63: A goes first.
 */
class SagaEvictionOrderTest {
    private static final long S = 1_000_000_000L;

    private static KvSequence seq(int from, int tokens) {
        return new KvSequence(IntStream.range(from, from + tokens + 1).toArray(), from);
    }

    private static int cached(BlockPool pool, KvSequence s, int blocks) {
        int n = 0;
        for (int k = 0; k < blocks; k++) {
            n += pool.cachedBlock(pool.blockHashOf(s, k)) >= 0 ? 1 : 0;
        }
        return n;
    }

    @Test
    void theProgramLeastWorthKeepingIsEvictedFirstNotTheLeastRecentlyFreed() {
        BlockPool pool = new BlockPool(6, 16, true); // 5 usable blocks
        KvSequence a = seq(1000, 48);
        KvSequence b = seq(5000, 32);
        assertThat(pool.allocateSlots(b, 0, 0, 32)).isTrue();
        assertThat(pool.allocateSlots(a, 0, 0, 48)).isTrue();
        SagaEvictionOrder order = new SagaEvictionOrder(pool, S);
        order.turnEnded(0, a, 0, false, Double.NaN);
        order.turnEnded(1, b, 10 * S, false, 0.5); // a successor's hit share: the estimate is informed
        pool.free(b);
        pool.free(a);
        assertThat(order.maybeReorder(10 * S)).isTrue();
        assertThat(order.maybeReorder(10 * S + S / 2)).isFalse(); // at most once per interval
        KvSequence c = seq(9000, 16);
        assertThat(pool.allocateSlots(c, 0, 0, 16)).isTrue();
        assertThat(cached(pool, a, 3)).isEqualTo(2);
        assertThat(cached(pool, b, 2)).isEqualTo(2);
    }

    @Test
    void withoutAnObservedSuccessorThePlainLruOrderStands() {
        BlockPool pool = new BlockPool(6, 16, true);
        KvSequence a = seq(1000, 48);
        assertThat(pool.allocateSlots(a, 0, 0, 48)).isTrue();
        SagaEvictionOrder order = new SagaEvictionOrder(pool, S);
        order.turnEnded(0, a, 0, false, Double.NaN);
        assertThat(order.maybeReorder(S)).isFalse();
    }
}
