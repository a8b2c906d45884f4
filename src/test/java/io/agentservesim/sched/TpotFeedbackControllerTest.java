package io.agentservesim.sched;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The TPOT controller on hand-made traces of decode-step gaps: target 50 ms, period 100 ms, "well under" below
 * 40 ms, R_min from 0.3 in 0.1 slots within 0.1..0.9, B_prefill from 512 (halved above, +128 well under).
 */
class TpotFeedbackControllerTest {
    private static final long MS = 1_000_000L;

    private static AgentServeSettings settings(boolean feedback) {
        return new AgentServeSettings(50, 100, 0.8, 0.3, 0.1, 0.9, 512, 64, 4096, 128, feedback, true, 41);
    }

    @Test
    void raisesRminWhenTpotExceedsTheTargetAndLowersItWhenWellUnder() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(512);
        c.onDecodeStep(0, -1);           // first decode step: the period runs to 100 ms
        c.onDecodeStep(60 * MS, 60 * MS);
        assertThat(c.decodeSlot()).isEqualTo(3); // 60 ms < 100 ms: not evaluated yet
        c.onDecodeStep(120 * MS, 60 * MS);       // mean 60 ms > 50 ms
        assertThat(c.decodeSlot()).isEqualTo(4);
        assertThat(c.resumeBudget()).isEqualTo(256);
        // Next period to 220 ms: gaps of 30 ms, mean 30 < 0.8 x 50 = 40 ms.
        for (long t = 150; t <= 240; t += 30) {
            c.onDecodeStep(t * MS, 30 * MS);
        }
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(256 + 128);
        // Next period to 340 ms: gaps of 45 ms, between 40 and 50: both held.
        for (long t = 285; t <= 375; t += 45) {
            c.onDecodeStep(t * MS, 45 * MS);
        }
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(384);
        assertThat(c.raises()).isEqualTo(1);
        assertThat(c.lowers()).isEqualTo(1);
    }

    @Test
    void theKnobsStopAtTheirBounds() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        long t = 0;
        c.onDecodeStep(t, -1);
        for (int i = 0; i < 20; i++) {
            t += 200 * MS;
            c.onDecodeStep(t, 200 * MS);  // every period far above the target
        }
        assertThat(c.decodeSlot()).isEqualTo(9);
        assertThat(c.resumeBudget()).isEqualTo(64); // 512 -> 256 -> 128 -> 64, then held at b_prefill_min
        for (int i = 0; i < 60; i++) {
            t += 200 * MS;
            c.onDecodeStep(t, 1 * MS);    // every period far below it
        }
        assertThat(c.decodeSlot()).isEqualTo(1);
        assertThat(c.resumeBudget()).isEqualTo(4096); // 64 + 128 k capped at b_prefill_max
    }

    @Test
    void aPeriodWithoutGapsHoldsAndWithoutFeedbackNothingMoves() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        c.onDecodeStep(0, -1);
        c.onDecodeStep(500 * MS, -1); // the decodes of this step were not in the previous one: no gap
        assertThat(c.decodeSlot()).isEqualTo(3);
        TpotFeedbackController fixed = new TpotFeedbackController(settings(false));
        fixed.onDecodeStep(0, -1);
        fixed.onDecodeStep(500 * MS, 500 * MS);
        assertThat(fixed.decodeSlot()).isEqualTo(3);
        assertThat(fixed.resumeBudget()).isEqualTo(512);
    }

    @Test
    void aShareThatIsNoSlotIsRefusedNamingTheField() {
        assertThatThrownBy(() -> new AgentServeSettings(50, 100, 0.8, 0.35, 0.1, 0.9, 512, 64, 4096, 128, true, true, 41))
                .hasMessageContaining("r_min: ").hasMessageContaining("0.35");
        assertThatThrownBy(() -> new AgentServeSettings(50, 100, 0.8, 0.3, 0.4, 0.9, 512, 64, 4096, 128, true, true, 41))
                .hasMessageContaining("r_min_low <= r_min");
        assertThatThrownBy(() -> new AgentServeSettings(-1, 100, 0.8, 0.3, 0.1, 0.9, 512, 64, 4096, 128, true, true, 41))
                .hasMessageContaining("tpot_target_ms: ");
    }
}
