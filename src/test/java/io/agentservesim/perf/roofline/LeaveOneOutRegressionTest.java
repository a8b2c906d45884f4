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
    /**
     * Leave-one-bundle-out, measured per row (%): 10.2, 6.6, 7.6, 5.8, 6.2, 4.5, 3.4; mean 6.3. The
     * Qwen3-30B-A3B tp2 row compares the measured ops only (its MoE layer was measured at tp1 only and is
     * left out of both sides; 33.0 against LLMServingSim's unsharded tp1 table); MoE included, against the
     * profile path's TP-sharded tp1 table, it is 5.1.
     */
    @Test
    void heldOutBundleWholeStepErrorStaysWithinTheMeasuredBound() {
        List<RooflineValidation.Row> rows = RooflineValidation.run(RooflineCalibration.PERF, RooflineCalibration.MODELS);
        assertThat(rows).hasSize(7);
        Map<String, Double> bound = Map.of(
                "RTX4090/meta-llama/Llama-3.1-8B tp1", 0.112,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp1", 0.076,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp2", 0.086,
                "RTXPRO6000/Qwen/Qwen3-32B tp1", 0.07,
                "RTXPRO6000/Qwen/Qwen3-32B tp2", 0.075,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp1", 0.06,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp2", 0.05);
        double sum = 0;
        for (RooflineValidation.Row r : rows) {
            String key = r.bundle() + " tp" + r.tp();
            double err = r.errors().get("step:all").meanAbs();
            assertThat(err).as(key).isLessThan(bound.get(key));
            sum += err;
            boolean moeLeftOut = key.equals("RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp2");
            assertThat(r.note()).as(key).isEqualTo(moeLeftOut ? "MoE unmeasured at tp2, left out both sides" : "");
            assertThat(r.errors().containsKey("moe-in step:all")).as(key).isEqualTo(moeLeftOut);
            if (moeLeftOut) {
                assertThat(r.errors().get("moe-in step:all").meanAbs()).as(key + ", MoE included").isLessThan(0.061);
            }
        }
        assertThat(sum / rows.size()).isLessThan(0.075);
    }

    /**
     * Leave-one-GPU-out (factors fitted on the other six GPUs), whole-step mean |error| measured (%):
     * A100 8.9, H100 5.1, H200 3.5, B200 8.8, L40S 3.3 (AIC tables, Llama-3.1-8B), RTX 4090 8.3
     * (bundle), RTX PRO 6000 6.1 (AIC tables) and 5.7–8.0 on its bundles, 10.7 on Qwen3-30B-A3B tp2 with its
     * tp1-only MoE layer left out of both sides (35.1 against LLMServingSim's unsharded tp1 table; 5.4 MoE
     * included, against the profile path's TP-sharded tp1 table).
     */
    @Test
    void heldOutGpuWholeStepErrorStaysWithinTheMeasuredBound() {
        List<GpuHoldOutValidation.Row> rows = GpuHoldOutValidation.run(
                RooflineCalibration.PERF, RooflineCalibration.MODELS, RooflineCalibration.AIC);
        assertThat(rows).hasSize(13);
        Map<String, Double> bound = Map.ofEntries(
                Map.entry("a100_sxm AIC tables, Llama-3.1-8B", 0.10),
                Map.entry("h100_sxm AIC tables, Llama-3.1-8B", 0.062),
                Map.entry("h200_sxm AIC tables, Llama-3.1-8B", 0.045),
                Map.entry("b200_sxm AIC tables, Llama-3.1-8B", 0.098),
                Map.entry("l40s AIC tables, Llama-3.1-8B", 0.043),
                Map.entry("rtx_4090 bundle Llama-3.1-8B tp1", 0.093),
                Map.entry("rtx_pro_6000_server AIC tables, Llama-3.1-8B", 0.071),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp1", 0.067),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp2", 0.117),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp1", 0.081),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp2", 0.084),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp1", 0.083),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp2", 0.09));
        for (GpuHoldOutValidation.Row r : rows) {
            String key = r.gpuId() + " " + r.reference();
            assertThat(r.errors().get("step:all").meanAbs()).as(key).isLessThan(bound.get(key));
            boolean moeLeftOut = key.equals("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp2");
            assertThat(r.label()).as(key).isEqualTo(moeLeftOut
                    ? "bundle Qwen3-30B-A3B-Instruct-2507 tp2 (MoE unmeasured at tp2, left out both sides)" : r.reference());
            if (moeLeftOut) {
                assertThat(r.errors().get("moe-in step:all").meanAbs()).as(key + ", MoE included").isLessThan(0.064);
            }
        }
    }
}
