package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static io.agentservesim.residency.FakeContext.gaps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The gate policy's retention half by hand: pin 2 s after a tool call unless the tool's EMA gap
 * (0.8 previous + 0.2 newest) exceeds 1.5 x 2 s = 3 s; released on the next turn's arrival.
 */
class GateRetentionTest {
    private final GateRetention gate = new GateRetention(GateRetention.Settings.DEFAULTS);

    @Test
    void pinsTwoSecondsForAToolNeverSeenOrWithShortGaps() {
        assertThat(gate.onTurnEnd(base())).isEqualTo(RetentionDecision.pinUntil(102 * S));
        assertThat(gate.onTurnEnd(base().withToolGaps(gaps(1 * S, 2 * S)))).isEqualTo(RetentionDecision.pinUntil(102 * S));
        assertThat(gate.releaseOnArrival()).isTrue();
    }

    @Test
    void leavesALongGapToolsContextToTheLruByTheEma() {
        // 10 s then 1 s: EMA = 0.8 x 10 + 0.2 x 1 = 8.2 s > 3 s, although the last gap was short.
        GapStats g = gaps(10 * S, 1 * S);
        assertThat(g.emaNs()).isCloseTo(8.2e9, within(1.0));
        assertThat(gate.onTurnEnd(base().withToolGaps(g))).isEqualTo(RetentionDecision.RELEASE);
        // 1 s then 10 s: EMA = 0.8 + 2 = 2.8 s <= 3 s: pinned.
        assertThat(gate.onTurnEnd(base().withToolGaps(gaps(1 * S, 10 * S)))).isEqualTo(RetentionDecision.pinUntil(102 * S));
        assertThat(gate.onTurnEnd(base().done())).isEqualTo(RetentionDecision.RELEASE);
    }

    @Test
    void itsSettingsComeFromItsOwnSectionAndAreChecked() {
        GateRetention longer = new GateRetention(new GateRetention.Settings(5.0, 1.0));
        assertThat(longer.onTurnEnd(base().withToolGaps(gaps(4 * S)))).isEqualTo(RetentionDecision.pinUntil(105 * S));
        assertThat(longer.onTurnEnd(base().withToolGaps(gaps(6 * S)))).isEqualTo(RetentionDecision.RELEASE);
        assertThatThrownBy(() -> new GateRetention.Settings(0, 1.5)).hasMessageContaining("tau_s");
    }
}
