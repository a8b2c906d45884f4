package io.agentservesim.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PiecewiseLinearTest {
    private final PiecewiseLinear f = new PiecewiseLinear(new double[] {1, 3, 7}, new double[] {10, 14, 6});

    @Test
    void exactAtSamples() {
        assertThat(f.at(1)).isEqualTo(10.0);
        assertThat(f.at(3)).isEqualTo(14.0);
        assertThat(f.at(7)).isEqualTo(6.0);
    }

    @Test
    void linearBetweenSamples() {
        assertThat(f.at(2)).isEqualTo(12.0);
        assertThat(f.at(5)).isEqualTo(10.0);
    }

    @Test
    void extrapolatesLinearlyFromTheOutermostPairs() {
        assertThat(f.at(0)).isEqualTo(8.0);   // slope 2 of [1,3]
        assertThat(f.at(9)).isEqualTo(2.0);   // slope -2 of [3,7]
        assertThat(f.atClampedBelow(0)).isEqualTo(10.0);
    }

    @Test
    void singleSampleIsConstant() {
        PiecewiseLinear c = new PiecewiseLinear(new double[] {4}, new double[] {2.5});
        assertThat(c.at(100)).isCloseTo(2.5, within(0.0));
    }
}
