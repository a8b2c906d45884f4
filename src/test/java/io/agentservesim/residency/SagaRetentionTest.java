package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** SAGA: TTL = log-normal p95 of the tool's gaps × (1 − pressure), a default before two observations. */
class SagaRetentionTest {
    private static final double Z95 = 1.6448536269514722;
    private final SagaRetention saga = new SagaRetention(4 * S);

    @Test
    void ttlIsTheLognormalP95ScaledByPressure() {
        // gaps 1 s and 4 s: ln-mean = ln 2 s, ln-sd = sqrt(2)·ln 2 (sample sd of ln 1 s, ln 4 s)
        double p95 = Math.exp(Math.log(2e9) + Z95 * Math.sqrt(2) * Math.log(2)); // ≈ 10.03 s
        FakeContext ctx = base().withToolGaps(gaps(1 * S, 4 * S)).withPressure(0.25);
        assertThat(saga.ttlNs(ctx)).isCloseTo(p95 * 0.75, within(1e3));
        RetentionDecision d = saga.onTurnEnd(ctx);
        assertThat(d.action()).isEqualTo(RetentionAction.PIN);
        assertThat((double) d.pinUntilNs()).isCloseTo(100e9 + p95 * 0.75, within(1e3));
    }

    @Test
    void usesTheDefaultBeforeTwoObservations() {
        // one gap only: default 4 s × (1 − 0.5) = 2 s
        FakeContext ctx = base().withToolGaps(gaps(30 * S)).withPressure(0.5);
        assertThat(saga.onTurnEnd(ctx)).isEqualTo(RetentionDecision.pinUntil(102 * S));
    }

    @Test
    void releasesUnderFullPressure() {
        assertThat(saga.onTurnEnd(base().withToolGaps(gaps(1 * S, 4 * S)).withPressure(1.0)))
                .isSameAs(RetentionDecision.RELEASE);
    }

    @Test
    void releasesWhenProgramIsDone() {
        assertThat(saga.onTurnEnd(base().withToolGaps(gaps(1 * S, 4 * S)).done())).isSameAs(RetentionDecision.RELEASE);
    }
}
