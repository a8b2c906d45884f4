package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Continuum: pin for the TTL when the tool's observed mean gap is at most the threshold. */
class ContinuumRetentionTest {
    // ttl 10 s, threshold 5 s; now = 100 s
    private final ContinuumRetention continuum = new ContinuumRetention(10 * S, 5 * S);

    @Test
    void pinsWhenObservedMeanIsBelowThreshold() {
        // gaps 2 s and 4 s: mean 3 s <= 5 s
        RetentionDecision d = continuum.onTurnEnd(base().withToolGaps(gaps(2 * S, 4 * S)));
        assertThat(d).isEqualTo(RetentionDecision.pinUntil(110 * S));
    }

    @Test
    void pinsWhenObservedMeanEqualsThreshold() {
        assertThat(continuum.onTurnEnd(base().withToolGaps(gaps(5 * S))).action()).isEqualTo(RetentionAction.PIN);
    }

    @Test
    void releasesWhenObservedMeanIsAboveThreshold() {
        // gaps 4 s and 8 s: mean 6 s > 5 s
        assertThat(continuum.onTurnEnd(base().withToolGaps(gaps(4 * S, 8 * S)))).isSameAs(RetentionDecision.RELEASE);
    }

    @Test
    void pinsAnUnseenToolForTheTtl() {
        assertThat(continuum.onTurnEnd(base())).isEqualTo(RetentionDecision.pinUntil(110 * S));
    }

    @Test
    void ignoresTheProgramsOwnGaps() {
        // the program's gaps are long, the tool's short: the tool decides
        FakeContext ctx = base().withToolGaps(gaps(1 * S)).withProgramGaps(gaps(60 * S));
        assertThat(continuum.onTurnEnd(ctx).action()).isEqualTo(RetentionAction.PIN);
    }

    @Test
    void releasesWhenProgramIsDone() {
        assertThat(continuum.onTurnEnd(base().withToolGaps(gaps(1 * S)).done())).isSameAs(RetentionDecision.RELEASE);
    }
}
