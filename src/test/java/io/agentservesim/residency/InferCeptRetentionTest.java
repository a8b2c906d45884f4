package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.GB;
import static io.agentservesim.residency.FakeContext.MS;
import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * InferCept's min-waste choice, wastes in GB·s: preserve = T_int × kv, discard = recompute × (kv +
 * running), swap = (out + in) × (kv + running).
 */
class InferCeptRetentionTest {
    private final InferCeptRetention infercept = new InferCeptRetention(5 * S);

    @Test
    void preservesForAShortGapAndABigBatch() {
        // preserve 0.1 s × 1 GB = 0.1; discard 0.05 s × (1 + 10) GB = 0.55
        FakeContext ctx = base().withToolGaps(gaps(100 * MS)).withMemory(GB, 10 * GB).withRecompute(50 * MS);
        assertThat(infercept.onTurnEnd(ctx)).isEqualTo(RetentionDecision.pinUntil(100 * S + 100 * MS));
    }

    @Test
    void discardsForALongGapAndASmallContext() {
        // preserve 60 s × 1 GB = 60; discard 0.2 s × 2 GB = 0.4
        FakeContext ctx = base().withToolGaps(gaps(60 * S)).withMemory(GB, GB).withRecompute(200 * MS);
        assertThat(infercept.onTurnEnd(ctx)).isSameAs(RetentionDecision.EVICT);
    }

    @Test
    void swapsWhenAHostTierMakesItCheapest() {
        // preserve 60; discard 2 s × 2 GB = 4; swap (0.1 + 0.1) s × 2 GB = 0.4
        FakeContext ctx = base().withToolGaps(gaps(60 * S)).withMemory(GB, GB).withRecompute(2 * S)
                .withHostTier(100 * MS, 100 * MS);
        assertThat(infercept.onTurnEnd(ctx)).isSameAs(RetentionDecision.OFFLOAD);
    }

    @Test
    void neverOffloadsWithoutAHostTier() {
        // same as above without the tier: discard 4 < preserve 60
        FakeContext ctx = base().withToolGaps(gaps(60 * S)).withMemory(GB, GB).withRecompute(2 * S);
        assertThat(infercept.onTurnEnd(ctx)).isSameAs(RetentionDecision.EVICT);
    }

    @Test
    void swapLosesToDiscardWhenTheLinkIsSlow() {
        // discard 0.2 s × 2 GB = 0.4; swap (1 + 1) s × 2 GB = 4
        FakeContext ctx = base().withToolGaps(gaps(60 * S)).withMemory(GB, GB).withRecompute(200 * MS)
                .withHostTier(S, S);
        assertThat(infercept.onTurnEnd(ctx)).isSameAs(RetentionDecision.EVICT);
    }

    @Test
    void expectedGapFallsBackFromToolToProgramToDefault() {
        assertThat(infercept.expectedGapNs(base().withToolGaps(gaps(1 * S, 3 * S)).withProgramGaps(gaps(9 * S))))
                .isEqualTo(2.0 * S);
        assertThat(infercept.expectedGapNs(base().withProgramGaps(gaps(9 * S)))).isEqualTo(9.0 * S);
        assertThat(infercept.expectedGapNs(base())).isEqualTo(5.0 * S);
    }

    @Test
    void preservesForTheDefaultGapWhenNothingIsObserved() {
        // T_int = 5 s default: preserve 5 × 1 GB = 5; discard 10 s × 2 GB = 20
        FakeContext ctx = base().withMemory(GB, GB).withRecompute(10 * S);
        assertThat(infercept.onTurnEnd(ctx)).isEqualTo(RetentionDecision.pinUntil(105 * S));
    }

    @Test
    void releasesWhenProgramIsDone() {
        assertThat(infercept.onTurnEnd(base().done())).isSameAs(RetentionDecision.RELEASE);
    }
}
