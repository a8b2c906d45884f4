package io.agentservesim.calibrate;

import static io.agentservesim.calibrate.RepoData.DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Regression guards on the held-out whole-step error (VALIDATION.md, "Roofline step times"). The
 * bounds are what the model measured when committed plus a margin of about one point, not the ≤ 10 %
 * goal: every leave-one-bundle-out row meets that, but two leave-one-GPU-out rows do not yet. The full
 * tables take about 20 s on two cores, so they run in the {@code calibration} profile
 * ({@code mvn -Pcalibration test}, run by CI); the default suite runs {@link CalibrationSubsetTest}.
 */
@Tag("calibration")
class LeaveOneOutRegressionTest {
    /**
     * Leave-one-bundle-out (the shipped calibration fitted without the bundle), measured per row (%):
     * 7.5, 6.6, 8.6, 5.6, 5.5, 6.4, 6.6; mean 6.7. The Qwen3-30B-A3B tp2 row compares the measured ops only
     * (its MoE layer was measured at tp1 only and is left out of both sides); MoE included, against the
     * profile path's TP-sharded tp1 table, it is 6.3. (Qwen3-30B-A3B was 7.4 and 7.1 before the MoE fit left out
     * the fused-MoE rows that ran from cache, SharedFit#dramReachable.)
     */
    @Test
    void heldOutBundleWholeStepErrorStaysWithinTheMeasuredBound() {
        List<RooflineValidation.Row> rows = RooflineValidation.run(DATA);
        assertThat(rows).hasSize(7);
        Map<String, Double> bound = Map.of(
                "RTX4090/meta-llama/Llama-3.1-8B tp1", 0.085,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp1", 0.076,
                "RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp2", 0.096,
                "RTXPRO6000/Qwen/Qwen3-32B tp1", 0.066,
                "RTXPRO6000/Qwen/Qwen3-32B tp2", 0.065,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp1", 0.074,
                "RTXPRO6000/meta-llama/Llama-3.1-8B tp2", 0.076);
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
                assertThat(r.errors().get("moe-in step:all").meanAbs()).as(key + ", MoE included").isLessThan(0.073);
            }
        }
        assertThat(sum / rows.size()).isLessThan(0.075);
        // The RTX 4090 has no other data: its factors are the ones fitted on the six other GPUs, which the
        // leave-one-GPU-out row uses too.
        assertThat(rows.get(0).fittedOn()).startsWith("shared: a100_sxm (AIC tables)").doesNotContain("refitted");
        assertThat(rows.get(1).fittedOn()).endsWith("refitted on rtx_pro_6000_server (AIC tables, Qwen3-32B, Llama-3.1-8B)");
    }

    /**
     * The stricter variant (factors from the other bundles alone, no AIConfigurator tables), measured (%):
     * the RTX 4090 from the RTX PRO 6000's bundles 4.9; Qwen3-30B-A3B tp1 14.9, because no other bundle has
     * MoE rows and its MoE layer is priced with the uncalibrated defaults.
     */
    @Test
    void bundlesOnlyVariantPredictsTheRtx4090FromTheRtxPro6000Alone() {
        List<RooflineValidation.Row> rows = RooflineValidation.runBundlesOnly(DATA);
        assertThat(rows).hasSize(7);
        RooflineValidation.Row rtx4090 = rows.get(0);
        assertThat(rtx4090.bundle()).isEqualTo("RTX4090/meta-llama/Llama-3.1-8B");
        assertThat(rtx4090.fittedOn()).doesNotContain("RTX4090").contains("RTXPRO6000/meta-llama/Llama-3.1-8B");
        assertThat(rtx4090.errors().get("step:all").meanAbs()).isLessThan(0.06);
        RooflineValidation.Row moe = rows.get(1);
        assertThat(moe.bundle() + " tp" + moe.tp()).isEqualTo("RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507 tp1");
        assertThat(moe.errors().get("step:all").meanAbs()).isBetween(0.13, 0.16);
    }

    /**
     * Leave-one-GPU-out (factors fitted on the other six GPUs), whole-step mean |error| measured (%):
     * A100 9.6, H100 4.4, H200 3.2, B200 8.1, L40S 3.7 (AIC tables, Llama-3.1-8B), RTX 4090 7.5
     * (bundle), RTX PRO 6000 9.4 (AIC tables) and 7.8–12.1 on its bundles (Qwen3-30B-A3B tp1 12.1; tp2 10.0
     * with its tp1-only MoE layer left out of both sides, 9.6 MoE included against the profile path's
     * TP-sharded tp1 table). The RTX PRO 6000 rows rose from 5.7–10.7 when its bandwidth was corrected from
     * 1792 to the Server Edition's 1597 GB/s: it reaches 0.92 of that on large GEMVs, the other GPUs 0.71–0.83.
     */
    @Test
    void heldOutGpuWholeStepErrorStaysWithinTheMeasuredBound() {
        List<GpuHoldOutValidation.Row> rows = GpuHoldOutValidation.run(DATA);
        assertThat(rows).hasSize(13);
        Map<String, Double> bound = Map.ofEntries(
                Map.entry("a100_sxm AIC tables, Llama-3.1-8B", 0.106),
                Map.entry("h100_sxm AIC tables, Llama-3.1-8B", 0.054),
                Map.entry("h200_sxm AIC tables, Llama-3.1-8B", 0.042),
                Map.entry("b200_sxm AIC tables, Llama-3.1-8B", 0.091),
                Map.entry("l40s AIC tables, Llama-3.1-8B", 0.047),
                Map.entry("rtx_4090 bundle Llama-3.1-8B tp1", 0.085),
                Map.entry("rtx_pro_6000_server AIC tables, Llama-3.1-8B", 0.104),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp1", 0.131),
                Map.entry("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp2", 0.11),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp1", 0.093),
                Map.entry("rtx_pro_6000_server bundle Qwen3-32B tp2", 0.088),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp1", 0.108),
                Map.entry("rtx_pro_6000_server bundle Llama-3.1-8B tp2", 0.108));
        for (GpuHoldOutValidation.Row r : rows) {
            String key = r.gpuId() + " " + r.reference();
            assertThat(r.errors().get("step:all").meanAbs()).as(key).isLessThan(bound.get(key));
            boolean moeLeftOut = key.equals("rtx_pro_6000_server bundle Qwen3-30B-A3B-Instruct-2507 tp2");
            assertThat(r.label()).as(key).isEqualTo(moeLeftOut
                    ? "bundle Qwen3-30B-A3B-Instruct-2507 tp2 (MoE unmeasured at tp2, left out both sides)" : r.reference());
            if (moeLeftOut) {
                assertThat(r.errors().get("moe-in step:all").meanAbs()).as(key + ", MoE included").isLessThan(0.106);
            }
        }
    }
}
