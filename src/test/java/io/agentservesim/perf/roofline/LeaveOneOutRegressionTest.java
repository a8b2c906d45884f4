package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guard on the leave-one-bundle-out whole-step error (VALIDATION.md, "Roofline step
 * times"): the bounds are what the model measured when committed (per row, in %: 31.1, 9.2, 36.5,
 * 11.0, 12.3, 8.4, 6.7; mean 16.5) plus a margin of about one point, not the ≤ 10 % goal, which
 * RTX 4090 (across GPUs), Qwen3-30B-A3B tp2 and Qwen3-32B do not meet yet.
 */
class LeaveOneOutRegressionTest {
    @Test
    void heldOutWholeStepErrorStaysWithinTheMeasuredBound() {
        List<RooflineValidation.Row> rows = RooflineValidation.run(RooflineCalibration.PERF, RooflineCalibration.MODELS);
        assertThat(rows).hasSize(7);
        Map<String, Double> bound = Map.of(
                "RTX4090/meta-llama/Llama-3.1-8B tp1", 0.32,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp1", 0.10,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp2", 0.375,
                "RTXPRO6000/Qwen/Qwen3-32B tp1", 0.12,
                "RTXPRO6000/Qwen/Qwen3-32B tp2", 0.13,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp1", 0.09,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp2", 0.075);
        double sum = 0;
        for (RooflineValidation.Row r : rows) {
            String key = r.bundle() + " tp" + r.tp();
            double err = r.errors().get("step:all").meanAbs();
            assertThat(err).as(key).isLessThan(bound.get(key));
            sum += err;
        }
        assertThat(sum / rows.size()).isLessThan(0.175);
    }
}
