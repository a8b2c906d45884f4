package io.agentservesim.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class PhaseBreakdownTest {

    private static LatencySamples samples(double[] ttft, double[] tpot) {
        LatencySamples s = new LatencySamples();
        for (int i = 0; i < ttft.length; i++) {
            boolean has = !Double.isNaN(tpot[i]);
            s.add(ttft[i], has ? tpot[i] : 0, has, ttft[i] + 100);
        }
        return s;
    }

    @Test
    void groupsRequestsInArrivalOrderAndComparesMeans() {
        LatencySamples real = samples(new double[] {100, 200, 300, 400, 500}, new double[] {10, 20, Double.NaN, 40, 50});
        LatencySamples sim = samples(new double[] {110, 190, 330, 400, 450}, new double[] {11, 20, Double.NaN, 44, 50});
        PhaseBreakdown b = PhaseBreakdown.of(real, sim, 2);
        // 5 requests in 2 groups: [0, 1] and [2, 4] (group k covers n*k/g .. n*(k+1)/g - 1).
        assertThat(b.phases()).hasSize(2);
        PhaseBreakdown.Phase first = b.phases().get(0);
        assertThat(first.first()).isZero();
        assertThat(first.last()).isEqualTo(1);
        assertThat(first.realTtftMs()).isCloseTo(150, offset(1e-9));
        assertThat(first.simTtftMs()).isCloseTo(150, offset(1e-9));
        assertThat(first.tpotDiffPct()).isCloseTo((31.0 / 2 - 15) / 15 * 100, offset(1e-9));
        PhaseBreakdown.Phase second = b.phases().get(1);
        assertThat(second.first()).isEqualTo(2);
        assertThat(second.last()).isEqualTo(4);
        // The one-token request (no TPOT) counts for TTFT but not for TPOT.
        assertThat(second.realTpotMs()).isCloseTo(45, offset(1e-9));
        assertThat(second.simTpotMs()).isCloseTo(47, offset(1e-9));
        assertThat(second.ttftDiffPct()).isCloseTo((1180.0 / 3 - 400) / 400 * 100, offset(1e-9));
        assertThat(b.toTable()).contains("0-1").contains("2-4");
    }

    @Test
    void moreGroupsThanRequestsGivesOneRequestPerGroup() {
        LatencySamples s = samples(new double[] {1, 2}, new double[] {1, 2});
        assertThat(PhaseBreakdown.of(s, s, 10).phases()).hasSize(2);
    }

    @Test
    void rejectsMismatchedSamplesAndNoGroups() {
        LatencySamples a = samples(new double[] {1, 2}, new double[] {1, 2});
        LatencySamples b = samples(new double[] {1}, new double[] {1});
        assertThatThrownBy(() -> PhaseBreakdown.of(a, b, 2)).hasMessageContaining("real has 2 requests, sim 1");
        assertThatThrownBy(() -> PhaseBreakdown.of(a, a, 0)).hasMessageContaining("groups must be >= 1");
    }
}
