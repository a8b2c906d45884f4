package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Regression guard on the leave-one-bundle-out whole-step error (VALIDATION-roofline.md): the bounds
 * are what the model measured when committed plus a small margin, not the ≤ 10 % goal, which it does
 * not meet yet.
 */
class LeaveOneOutRegressionTest {
    @Test
    void heldOutWholeStepErrorStaysWithinTheMeasuredBound() {
        List<RooflineValidation.Row> rows = RooflineValidation.run(RooflineCalibration.PERF, RooflineCalibration.MODELS);
        assertThat(rows).hasSize(7);
        double sum = 0;
        for (RooflineValidation.Row r : rows) {
            double err = r.errors().get("step:all").meanAbs();
            assertThat(err).as(r.bundle() + " tp" + r.tp()).isLessThan(0.38);
            sum += err;
        }
        assertThat(sum / rows.size()).isLessThan(0.21);
    }
}
