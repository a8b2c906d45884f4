package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.MS;
import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * InferCept at a turn's end: the context is preserved until the call's predicted return (the per-step
 * re-weighing that may move it off the GPU earlier is {@link MinWasteTest}); T_int falls back from the tool's
 * mean gap to the program's to default_gap_s.
 */
class InferCeptRetentionTest {
    private final InferCeptRetention infercept = new InferCeptRetention(5 * S);

    @Test
    void preservesUntilThePredictedReturn() {
        assertThat(infercept.onTurnEnd(base().withToolGaps(gaps(100 * MS, 300 * MS))))
                .isEqualTo(RetentionDecision.pinUntil(100 * S + 200 * MS));
        assertThat(infercept.onTurnEnd(base())).isEqualTo(RetentionDecision.pinUntil(105 * S));
        assertThat(infercept.onTurnEnd(base().done())).isSameAs(RetentionDecision.RELEASE);
    }

    @Test
    void expectedGapFallsBackFromToolToProgramToDefault() {
        assertThat(infercept.expectedGapNs(base().withToolGaps(gaps(1 * S, 3 * S)).withProgramGaps(gaps(9 * S))))
                .isEqualTo(2.0 * S);
        assertThat(infercept.expectedGapNs(base().withProgramGaps(gaps(9 * S)))).isEqualTo(9.0 * S);
        assertThat(infercept.expectedGapNs(base())).isEqualTo(5.0 * S);
    }
}
