package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** GapStats against hand computation. */
class GapStatsTest {
    @Test
    void meanAndCount() {
        GapStats g = gaps(1000, 4000);
        assertThat(g.count()).isEqualTo(2);
        assertThat(g.meanNs()).isEqualTo(2500.0);
    }

    @Test
    void lognormalQuantileOfTwoGaps() {
        // ln 1000 and ln 4000: mean ln 2000, sample sd |ln 4000 − ln 1000| / sqrt(2) = sqrt(2)·ln 2
        double z95 = 1.6448536269514722;
        double expected = 2000 * Math.exp(z95 * Math.sqrt(2) * Math.log(2)); // ≈ 10029.4
        assertThat(gaps(1000, 4000).lognormalQuantileNs(0.95)).isCloseTo(expected, within(1e-6));
        assertThat(expected).isCloseTo(10029.4, within(0.1));
    }

    @Test
    void medianOfALognormalIsTheGeometricMean() {
        assertThat(gaps(1000, 4000, 16000).lognormalQuantileNs(0.5)).isCloseTo(4000.0, within(1e-6));
    }

    @Test
    void emptyAndSingleObservationAreNaN() {
        assertThat(new GapStats().meanNs()).isNaN();
        assertThat(gaps(1000).lognormalQuantileNs(0.95)).isNaN();
    }
}
