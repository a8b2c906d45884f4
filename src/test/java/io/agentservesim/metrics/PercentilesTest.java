package io.agentservesim.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import java.util.SplittableRandom;
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

    /**
     * Selecting the ranks of p50, p95 and the maximum answers exactly as sorting, on random samples of every
     * size from 0 to 600 with many ties (decode gaps repeat), on sorted, reversed and constant ones.
     */
    @Test
    void selectionAnswersExactlyAsSorting() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n = 0; n <= 600; n++) {
            for (int shape = 0; shape < 4; shape++) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = switch (shape) {
                        case 0 -> 12_000_000L + rnd.nextInt(5) * 1_000L; // few distinct values
                        case 1 -> i;
                        case 2 -> n - i;
                        default -> rnd.nextLong(1_000_000_000L);
                    };
                }
                long[] sorted = v.clone();
                Arrays.sort(sorted);
                LongArrayList sel = LongArrayList.wrap(v.clone());
                Percentiles.selectFor(sel, 50, 95);
                long[] s = sel.elements();
                assertThat(Percentiles.ofSorted(s, n, 50)).isEqualTo(Percentiles.ofSorted(sorted, n, 50));
                assertThat(Percentiles.ofSorted(s, n, 95)).isEqualTo(Percentiles.ofSorted(sorted, n, 95));
                if (n > 0) {
                    assertThat(s[n - 1]).isEqualTo(sorted[n - 1]);
                }
                long[] same = s.clone();
                Arrays.sort(same);
                assertThat(same).as("a permutation").isEqualTo(sorted);
            }
        }
    }
}
