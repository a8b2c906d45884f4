package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The three shared-prefix charging rules, by hand, through SAGA's eviction order. Programs A (4 blocks) and B
 * (3 blocks) share a 2-block prefix S; C has 3 blocks of its own; the 8 distinct blocks fill the pool. B's turn
 * ends first, so B is S's holder. All turns end at 0 s and nobody has been seen to continue, so every program
 * scores 0.3 x 1 + 0.5 + 0.2 x size / largest and the largest size goes first (ties: lower program id):
 * <pre>
 *   rule    A              B              C   order    a shared block's class = its best-kept owner's
 *   full    4              3              3   A, B, C  S with B
 *   split   2/2 + 2 = 3    2/2 + 1 = 2    3   A, C, B  S with B
 *   holder  0 + 2 = 2      2 + 1 = 3      3   B, C, A  S with A
 * </pre>
 * A new 3-block prompt then evicts: full A's 2 own + 1 of B's class (C keeps 3); split A's 2 own + 1 of C's
 * (C keeps 2, A 2, B 3); holder B's own + 2 of C's (C keeps 1, A 4, B 2).
 */
class PrefixChargingTest {
    private static final long S = 1_000_000_000L;

    private static int[] ids(int from, int count) {
        return IntStream.range(from, from + count).toArray();
    }

    private static int cached(BlockPool pool, KvSequence s, int blocks) {
        int n = 0;
        for (int k = 0; k < blocks; k++) {
            n += pool.cachedBlock(pool.blockHashOf(s, k)) >= 0 ? 1 : 0;
        }
        return n;
    }

    /** {cached blocks of A, of B, of C} after the new prompt under {@code rule}. */
    private static int[] survivors(PrefixCharging rule) {
        BlockPool pool = new BlockPool(9, 16, true); // 8 usable blocks
        KvSequence a = new KvSequence(ids(1000, 65), 1);
        int[] bIds = IntStream.concat(IntStream.range(1000, 1032), IntStream.range(7000, 7017)).toArray();
        KvSequence b = new KvSequence(bIds, 2);
        KvSequence c = new KvSequence(ids(9000, 49), 3);
        assertThat(pool.allocateSlots(a, 0, 0, 64)).isTrue();
        assertThat(pool.findCachedPrefixTokens(b, 48)).isEqualTo(32);
        assertThat(pool.allocateSlots(b, 32, 0, 16)).isTrue();
        assertThat(pool.allocateSlots(c, 0, 0, 48)).isTrue();
        assertThat(pool.numFreeBlocks()).isZero();
        SagaEvictionOrder order = new SagaEvictionOrder(pool, S, rule);
        order.turnEnded(1, b, 0, false, 0.5); // first seen: B holds S
        order.turnEnded(0, a, 0, false, Double.NaN);
        order.turnEnded(2, c, 0, false, Double.NaN);
        pool.free(c);
        pool.free(b);
        pool.free(a);
        assertThat(order.maybeReorder(10 * S)).isTrue();
        KvSequence d = new KvSequence(ids(20000, 49), 4);
        assertThat(pool.allocateSlots(d, 0, 0, 48)).isTrue();
        return new int[] {cached(pool, a, 4), cached(pool, b, 3), cached(pool, c, 3)};
    }

    @Test
    void fullChargesEverySharerTheWholePrefixSoTheSharersGoFirst() {
        int[] left = survivors(PrefixCharging.FULL);
        assertThat(left[2]).isEqualTo(3);
        assertThat(left[0]).isLessThanOrEqualTo(2);
    }

    @Test
    void splitChargesEachSharerItsPart() {
        assertThat(survivors(PrefixCharging.SPLIT)).containsExactly(2, 3, 2);
    }

    @Test
    void holderChargesThePrefixToTheFirstProgramSeenHoldingIt() {
        assertThat(survivors(PrefixCharging.HOLDER)).containsExactly(4, 2, 1);
    }

    @Test
    void sharesPerBlock() {
        assertThat(PrefixCharging.FULL.share(4, false)).isEqualTo(1.0);
        assertThat(PrefixCharging.SPLIT.share(4, false)).isEqualTo(0.25);
        assertThat(PrefixCharging.HOLDER.share(4, true)).isEqualTo(1.0);
        assertThat(PrefixCharging.HOLDER.share(4, false)).isEqualTo(0.0);
        assertThatThrownBy(() -> PrefixCharging.SPLIT.share(0, false)).hasMessageContaining("at least one holder");
    }

    @Test
    void sagaChargesSplitByDefaultAndRefusesNoRule() {
        assertThat(SagaRetention.Settings.of(5 * S).prefixCharging()).isEqualTo(PrefixCharging.SPLIT);
        assertThatThrownBy(() -> new SagaRetention.Settings(5, true, 1, null)).hasMessageContaining("prefix_charging");
    }
}
