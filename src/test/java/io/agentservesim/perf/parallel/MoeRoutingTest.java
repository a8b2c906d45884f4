package io.agentservesim.perf.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.error.InputException;
import io.agentservesim.perf.MoeSpec;
import org.junit.jupiter.api.Test;

/** Hand-computed routing of 8 token-expert pairs (4 tokens, k = 2) over 4 experts. */
class MoeRoutingTest {
    private static final double P = 8;

    @Test
    void balancedIsTodaysActivatedExperts() {
        MoeRouting r = MoeRouting.balanced(4);
        assertThat(r.activatedExperts(P)).isEqualTo(4.0);
        assertThat(r.maxExpertLoad(P)).isEqualTo(2.0);
        assertThat(r.maxShardPairs(P)).isEqualTo(8.0);
        MoeSpec spec = new MoeSpec(128, 8);
        MoeRouting q = MoeRouting.balanced(128);
        for (int t : new int[] {1, 3, 16, 17, 2048}) {
            assertThat(q.activatedExperts(t * 8.0)).isEqualTo(spec.activatedExperts(t));
        }
    }

    @Test
    void uniformHasTheExpectedDistinctExpertsAndABallsInBinsMaximum() {
        MoeRouting r = MoeRouting.of(MoeRouting.Kind.UNIFORM, 0, 4, 1);
        // 4 (1 - (3/4)^8) = 4 (1 - 0.1001129150390625)
        assertThat(r.activatedExperts(P)).isCloseTo(3.59954834, within(1e-8));
        // 8/4 + sqrt(2 * 2 * ln 4)
        assertThat(r.maxExpertLoad(P)).isCloseTo(2 + Math.sqrt(4 * Math.log(4)), within(1e-12));
        MoeRouting ep2 = MoeRouting.of(MoeRouting.Kind.UNIFORM, 0, 4, 2);
        assertThat(ep2.maxShardPairs(P)).isCloseTo(4 + Math.sqrt(8 * Math.log(2)), within(1e-12));
        assertThat(ep2.maxShardActivated(P)).isCloseTo(3.59954834 / 2, within(1e-8));
    }

    @Test
    void zipfLoadsTheHottestExpertAndShardMoreThanBalanced() {
        // s = 1: popularity 1/rank over H4 = 25/12: 0.48, 0.24, 0.16, 0.12
        MoeRouting z = MoeRouting.of(MoeRouting.Kind.ZIPF, 1.0, 4, 1);
        assertThat(z.maxExpertLoad(P)).isCloseTo(3.84, within(1e-12));
        assertThat(z.maxExpertLoad(P)).isGreaterThan(MoeRouting.balanced(4).maxExpertLoad(P));
        double distinct = 4 - Math.pow(0.52, 8) - Math.pow(0.76, 8) - Math.pow(0.84, 8) - Math.pow(0.88, 8);
        assertThat(z.activatedExperts(P)).isCloseTo(distinct, within(1e-12)).isCloseTo(3.27584, within(1e-5));

        MoeRouting z2 = MoeRouting.of(MoeRouting.Kind.ZIPF, 1.0, 4, 2);
        MoeRouting b2 = MoeRouting.of(MoeRouting.Kind.BALANCED, 0, 4, 2);
        assertThat(z2.maxShardPairs(P)).isCloseTo(0.72 * 8, within(1e-12));       // shard 0 holds ranks 1 and 2
        assertThat(b2.maxShardPairs(P)).isEqualTo(4.0);
        assertThat(z2.maxShardActivated(P)).isCloseTo(2 - Math.pow(0.52, 8) - Math.pow(0.76, 8), within(1e-12));
        assertThat(b2.maxShardActivated(P)).isEqualTo(2.0);
        assertThat(z2.label()).isEqualTo("ep2/zipf1.00");
    }

    @Test
    void zipfWithExponentZeroIsUniformPopularity() {
        MoeRouting z = MoeRouting.of(MoeRouting.Kind.ZIPF, 0.0, 4, 2);
        MoeRouting u = MoeRouting.of(MoeRouting.Kind.UNIFORM, 0, 4, 2);
        assertThat(z.activatedExperts(P)).isCloseTo(u.activatedExperts(P), within(1e-12));
        assertThat(z.maxShardPairs(P)).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void paddedRowsRoundEachExpertUpToWholeTiles() {
        // Balanced: 4 experts of 2 rows each, tiles of 4 rows: 4 × 4 = 16; no tiles: the 8 pairs.
        assertThat(MoeRouting.balanced(4).maxShardPaddedRows(P, 4)).isEqualTo(16.0);
        assertThat(MoeRouting.balanced(4).maxShardPaddedRows(P, 0)).isEqualTo(8.0);
        assertThat(MoeRouting.balanced(4).maxShardPaddedRows(P, 2)).isEqualTo(8.0);
        // Zipf s = 1: loads 3.84, 1.92, 1.28 (one tile each) and 0.96 (< 1 row: a tile with the
        // probability that the expert is hit at all, 1 - 0.88^8).
        MoeRouting z = MoeRouting.of(MoeRouting.Kind.ZIPF, 1.0, 4, 1);
        assertThat(z.maxShardPaddedRows(P, 4)).isCloseTo(12 + (1 - Math.pow(0.88, 8)) * 4, within(1e-12));
        // EP2: shard 0 holds the two hottest experts, 3.84 and 1.92 rows: two tiles.
        assertThat(MoeRouting.of(MoeRouting.Kind.ZIPF, 1.0, 4, 2).maxShardPaddedRows(P, 4)).isCloseTo(8.0, within(1e-12));
    }

    @Test
    void badInputNamesTheKey() {
        assertThatThrownBy(() -> MoeRouting.of(MoeRouting.Kind.BALANCED, 0, 128, 3))
                .isInstanceOf(InputException.class).hasMessageContaining("expert_parallel_size 3");
        assertThatThrownBy(() -> MoeRouting.parseKind("skewed"))
                .isInstanceOf(InputException.class).hasMessageContaining("moe.routing");
        assertThatThrownBy(() -> MoeRouting.of(MoeRouting.Kind.ZIPF, -1, 4, 1))
                .isInstanceOf(InputException.class).hasMessageContaining("moe.zipf_s");
        assertThat(MoeRouting.parseKind(" Zipf ")).isEqualTo(MoeRouting.Kind.ZIPF);
    }
}
