package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * SAGA's released rule by hand: TTL = base x (1 - 0.5 m), m = clip((u - 0.7) / 0.2, 0, 1); base = tau, or
 * for saga-tool-ttl the EMA log-normal p95 of the tool's gaps capped at 300 s (tau on a cold start).
 */
class SagaRetentionTest {
    private static final double Z95 = 1.6448536269514722;
    private final SagaRetention saga = new SagaRetention(4 * S, false);
    private final SagaRetention toolTtl = new SagaRetention(4 * S, true);

    @Test
    void pinsAreFullLengthBelowSeventyPercentAndHalfAboveNinety() {
        assertThat(saga.onTurnEnd(base().withPressure(0.5))).isEqualTo(RetentionDecision.pinUntil(104 * S));
        // u = 0.8: m = 0.5, scale 0.75: 3 s
        assertThat(saga.onTurnEnd(base().withPressure(0.8))).isEqualTo(RetentionDecision.pinUntil(103 * S));
        // u = 0.95 (and a full pool): m = 1, scale 0.5: 2 s, never released for pressure alone
        assertThat(saga.onTurnEnd(base().withPressure(0.95))).isEqualTo(RetentionDecision.pinUntil(102 * S));
        assertThat(saga.onTurnEnd(base().withPressure(1.0))).isEqualTo(RetentionDecision.pinUntil(102 * S));
        // the plain variant ignores the tool's gaps
        assertThat(saga.onTurnEnd(base().withToolGaps(gaps(30 * S)))).isEqualTo(RetentionDecision.pinUntil(104 * S));
    }

    @Test
    void toolTtlIsTheExponentiallyWeightedLognormalP95() {
        // gaps 1 s then 4 s: ln-mean = ln 1 s + 0.2 ln 4, ln-variance = 0.8 x 0.2 x (ln 4)^2 -> sd 0.4 ln 4
        double p95 = 1e9 * Math.pow(4, 0.2 + 0.4 * Z95); // about 3.28 s
        assertThat(toolTtl.ttlNs(base().withToolGaps(gaps(1 * S, 4 * S)))).isCloseTo(p95, within(1e3));
        // with u = 0.9 it is halved
        assertThat(toolTtl.ttlNs(base().withToolGaps(gaps(1 * S, 4 * S)).withPressure(0.9))).isCloseTo(p95 / 2, within(1e3));
        // one gap: that gap (variance 0)
        assertThat(toolTtl.ttlNs(base().withToolGaps(gaps(6 * S)))).isCloseTo(6e9, within(1e3));
    }

    @Test
    void toolTtlIsCappedAtThreeHundredSecondsAndStartsColdAtTau() {
        assertThat(toolTtl.ttlNs(base().withToolGaps(gaps(1000 * S)))).isEqualTo(300e9);
        assertThat(toolTtl.onTurnEnd(base())).isEqualTo(RetentionDecision.pinUntil(104 * S));
    }

    @Test
    void releasesWhenProgramIsDone() {
        assertThat(saga.onTurnEnd(base().done())).isSameAs(RetentionDecision.RELEASE);
        assertThat(toolTtl.onTurnEnd(base().withToolGaps(gaps(1 * S, 4 * S)).done())).isSameAs(RetentionDecision.RELEASE);
    }
}
