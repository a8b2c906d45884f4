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

    /** Feeds decode steps {@code gapMs} apart beside a prefill from {@code fromMs} until one period is evaluated. */
    private static long period(TpotFeedbackController c, long fromMs, long gapMs) {
        long t = fromMs;
        long raises = c.raises() + c.lowers();
        int slot = c.decodeSlot();
        int budget = c.resumeBudget();
        for (int i = 0; i < 100; i++) {
            t += gapMs;
            c.onDecodeStep(t * MS, gapMs * MS, true);
            if (c.raises() + c.lowers() != raises || c.decodeSlot() != slot || c.resumeBudget() != budget) {
                break;
            }
            if (t - fromMs >= 100) {
                break; // evaluated and held
            }
        }
        return t;
    }

    @Test
    void aboveTheTargetTheBudgetShrinksFirstThenRminRisesAndWellUnderRminFallsFirst() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(512);
        c.onDecodeStep(0, -1, true);               // first decode step: the period runs to 100 ms
        c.onDecodeStep(60 * MS, 60 * MS, true);
        assertThat(c.resumeBudget()).isEqualTo(512); // 60 ms < 100 ms: not evaluated yet
        c.onDecodeStep(120 * MS, 60 * MS, true);   // mean 60 ms > 50 ms: the budget halves, R_min holds
        assertThat(c.resumeBudget()).isEqualTo(256);
        assertThat(c.decodeSlot()).isEqualTo(3);
        long t = period(c, 120, 60);               // 128
        t = period(c, t, 60);                      // 64 = b_prefill_min
        assertThat(c.resumeBudget()).isEqualTo(64);
        assertThat(c.decodeSlot()).isEqualTo(3);
        t = period(c, t, 60);                      // the budget is at its floor: R_min 0.3 -> 0.4
        assertThat(c.decodeSlot()).isEqualTo(4);
        assertThat(c.resumeBudget()).isEqualTo(64);
        t = period(c, t, 30);                      // 30 < 0.8 x 50 = 40 ms: R_min back to 0.3 first
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(64);
        t = period(c, t, 45);                      // between 40 and 50 ms: both held
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(64);
        assertThat(c.raises()).isEqualTo(4);
        assertThat(c.lowers()).isEqualTo(1);
    }

    @Test
    void theKnobsStopAtTheirBounds() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        long t = 0;
        c.onDecodeStep(t, -1, true);
        for (int i = 0; i < 20; i++) {
            t += 200 * MS;
            c.onDecodeStep(t, 200 * MS, true);  // every period far above the target
        }
        assertThat(c.decodeSlot()).isEqualTo(9);
        assertThat(c.resumeBudget()).isEqualTo(64); // 512 -> 256 -> 128 -> 64, then held at b_prefill_min
        for (int i = 0; i < 60; i++) {
            t += 200 * MS;
            c.onDecodeStep(t, 1 * MS, true);    // every period far below it
        }
        assertThat(c.decodeSlot()).isEqualTo(1);
        assertThat(c.resumeBudget()).isEqualTo(4096); // 64 + 128 k capped at b_prefill_max
    }

    @Test
    void onlyDecodesBesideAPrefillMoveTheKnobs() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        c.onDecodeStep(0, -1, false);
        c.onDecodeStep(60 * MS, 20 * MS, false);
        c.onDecodeStep(120 * MS, 20 * MS, false); // 20 ms < 40 ms, but no prefill ran beside these decodes
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(512);
        // Next period (to 220 ms): one gap of 70 ms beside a prefill, two of 20 ms alone: the one beside counts,
        // 70 > 50 ms halves the budget.
        c.onDecodeStep(150 * MS, 70 * MS, true);
        c.onDecodeStep(170 * MS, 20 * MS, false);
        c.onDecodeStep(230 * MS, 20 * MS, false);
        assertThat(c.decodeSlot()).isEqualTo(3);
        assertThat(c.resumeBudget()).isEqualTo(256);
    }

    @Test
    void aPeriodWithoutGapsHoldsAndWithoutFeedbackNothingMoves() {
        TpotFeedbackController c = new TpotFeedbackController(settings(true));
        c.onDecodeStep(0, -1, true);
        c.onDecodeStep(500 * MS, -1, true); // the decodes of this step were not in the previous one: no gap
        assertThat(c.decodeSlot()).isEqualTo(3);
        TpotFeedbackController fixed = new TpotFeedbackController(settings(false));
        fixed.onDecodeStep(0, -1, true);
        fixed.onDecodeStep(500 * MS, 500 * MS, true);
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
