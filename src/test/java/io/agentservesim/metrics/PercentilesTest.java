package io.agentservesim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.junit.jupiter.api.Test;

/** numpy's default percentile (linear between closest ranks), by hand. */
class PercentilesTest {
    @Test
    void interpolatesLinearlyBetweenClosestRanksAsNumpyDoes() {
        LongArrayList v = LongArrayList.of(40, 10, 30, 20);
        Percentiles.sort(v);
        assertThat(v.toLongArray()).containsExactly(10, 20, 30, 40);
        // rank 0.5 x 3 = 1.5 -> 20 + 0.5 x 10; rank 0.95 x 3 = 2.85 -> 30 + 0.85 x 10 = 38.5, rounded to 39
        assertThat(Percentiles.ofSorted(v.elements(), 4, 50)).isEqualTo(25);
        assertThat(Percentiles.ofSorted(v.elements(), 4, 95)).isEqualTo(39);
        assertThat(Percentiles.ofSorted(v.elements(), 4, 100)).isEqualTo(40);
        assertThat(Percentiles.ofSorted(v.elements(), 1, 95)).isEqualTo(10);
        assertThat(Percentiles.ofSorted(v.elements(), 0, 50)).isZero();
    }
}
