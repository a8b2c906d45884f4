package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression guards on the held-out whole-step error (VALIDATION.md, "Roofline step times"). The
 * bounds are what the model measured when committed plus a margin of about one point, not the ≤ 10 %
 * goal, which several rows do not meet yet.
 */
class LeaveOneOutRegressionTest {
    /** Leave-one-bundle-out, measured per row (%): 14.0, 9.0, 35.0, 9.5, 9.0, 7.1, 6.2; mean 12.8. */
    @Test
    void heldOutBundleWholeStepErrorStaysWithinTheMeasuredBound() {
        List<RooflineValidation.Row> rows = RooflineValidation.run(RooflineCalibration.PERF, RooflineCalibration.MODELS);
        assertThat(rows).hasSize(7);
        Map<String, Double> bound = Map.of(
                "RTX4090/meta-llama/Llama-3.1-8B tp1", 0.15,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp1", 0.10,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp2", 0.36,
                "RTXPRO6000/Qwen/Qwen3-32B tp1", 0.105,
                "RTXPRO6000/Qwen/Qwen3-32B tp2", 0.10,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp1", 0.08,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp2", 0.07);
        double sum = 0;
        for (RooflineValidation.Row r : rows) {
            String key = r.bundle() + " tp" + r.tp();
            double err = r.errors().get("step:all").meanAbs();
            assertThat(err).as(key).isLessThan(bound.get(key));
            sum += err;
        }
        assertThat(sum / rows.size()).isLessThan(0.135);
    }

    /**
     * Leave-one-GPU-out (factors fitted on the other six GPUs), whole-step mean |error| measured (%):
     * A100 9.7, H100 7.2, H200 6.3, B200 10.9, L40S 5.5 (AIC tables, Llama-3.1-8B), RTX 4090 17.6
     * (bundle), RTX PRO 6000 9.0 (AIC tables) and 11.8–37.3 on its bundles.
     */
    @Test
    void heldOutGpuWholeStepErrorStaysWithinTheMeasuredBound() {
        List<GpuHoldOutValidation.Row> rows = GpuHoldOutValidation.run(
                RooflineCalibration.PERF, RooflineCalibration.MODELS, RooflineCalibration.AIC);
        assertThat(rows).hasSize(13);
        Map<String, Double> bound = Map.ofEntries(
                Map.entry("a100_sxm AIC tables, Llama-3.1-8B", 0.105),
                Map.entry("h100_sxm AIC tables, Llama-3.1-8B", 0.08),
                Map.entry("h200_sxm AIC tables, Llama-3.1-8B", 0.07),
                Map.entry("b200_sxm AIC tables, Llama-3.1-8B", 0.12),
                Map.entry("l40s AIC tables, Llama-3.1-8B", 0.065),
                Map.entry("rtx_4090 bundle Llama-3.1-8B tp1", 0.22),
                Map.entry("rtx_pro_6000_server AIC tables, Llama-3.1-8B", 0.10),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp1", 0.15),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp2", 0.385),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp1", 0.16),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp2", 0.155),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp1", 0.15),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp2", 0.145));
        for (GpuHoldOutValidation.Row r : rows) {
            String key = r.gpuId() + " " + r.reference();
            assertThat(r.errors().get("step:all").meanAbs()).as(key).isLessThan(bound.get(key));
        }
    }
}
