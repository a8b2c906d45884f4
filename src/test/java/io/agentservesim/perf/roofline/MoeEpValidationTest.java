package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the roofline's MoE layer against AIConfigurator's measured vLLM fused-MoE kernel (Qwen3-30B-A3B
 * expert shape, balanced routing, moe_tp 1, EP 1/2/4/8, 1..8192 tokens): the numbers VALIDATION.md
 * reports, each within about one point, so a change to the MoE pricing or the calibration shows here.
 */
class MoeEpValidationTest {
    private static final MoeEpValidation.Result RESULT = MoeEpValidation.run(Path.of("data/aiconfigurator/perf"),
            Path.of("data/llmservingsim/models/Qwen/Qwen3-30B-A3B-Instruct-2507.json"), GpuCatalog.builtin(),
            RooflineFactors.builtin());

    /** gpu, ep, mean |err| %, max |err| %, measured speed-up vs EP1, modelled speed-up vs EP1 (at 8192 tokens). */
    private static final Object[][] EXPECTED = {
        {"h100_sxm", 1, 9.4, 46.5, 1.00, 1.00},
        {"h100_sxm", 2, 17.9, 58.4, 1.54, 1.98},
        {"h100_sxm", 4, 28.3, 69.5, 2.20, 3.86},
        {"h100_sxm", 8, 40.2, 79.3, 2.87, 7.39},
        {"h200_sxm", 1, 11.8, 43.5, 1.00, 1.00},
        {"h200_sxm", 2, 21.8, 59.3, 1.41, 1.97},
        {"h200_sxm", 4, 34.9, 69.8, 2.04, 3.84},
        {"h200_sxm", 8, 45.4, 79.1, 2.66, 7.31},
        {"b200_sxm", 1, 16.2, 57.4, 1.00, 1.00},
        {"b200_sxm", 2, 34.7, 74.5, 1.15, 1.95},
        {"b200_sxm", 4, 46.7, 82.7, 1.49, 3.72},
        {"b200_sxm", 8, 57.7, 88.9, 1.76, 6.81},
        {"rtx_pro_6000_server", 1, 12.9, 109.0, 1.00, 1.00},
        {"rtx_pro_6000_server", 2, 14.0, 74.7, 1.47, 1.99},
        {"rtx_pro_6000_server", 4, 20.9, 74.5, 2.08, 3.93},
        {"rtx_pro_6000_server", 8, 28.0, 77.2, 2.58, 7.67},
    };

    @Test
    void errorsAndSpeedupsPerGpuAndEpDegreeAreTheReportedOnes() {
        List<MoeEpValidation.EpRow> rows = RESULT.ep();
        // A100 and L40S have no balanced rows: four GPUs × four EP degrees.
        assertThat(rows).hasSize(EXPECTED.length);
        for (int i = 0; i < EXPECTED.length; i++) {
            Object[] x = EXPECTED[i];
            MoeEpValidation.EpRow r = rows.get(i);
            String what = r.gpu() + " ep" + r.ep();
            assertThat(r.gpu()).as(what).isEqualTo(x[0]);
            assertThat(r.ep()).as(what).isEqualTo(x[1]);
            assertThat(r.points()).as(what).isEqualTo(25);
            assertThat(100 * r.meanAbsError()).as(what + " mean |err| %").isCloseTo((Double) x[2], within(1.0));
            assertThat(100 * r.maxAbsError()).as(what + " max |err| %").isCloseTo((Double) x[3], within(1.0));
            assertThat(r.measuredSpeedup()).as(what + " measured speed-up").isCloseTo((Double) x[4], within(0.02));
            assertThat(r.modelSpeedup()).as(what + " model speed-up").isCloseTo((Double) x[5], within(0.02));
        }
    }

    @Test
    void expertParallelismSpeedsUpALargeBatchInModelAndData() {
        for (MoeEpValidation.EpRow r : RESULT.ep()) {
            if (r.ep() > 1) {
                assertThat(r.measuredSpeedup()).as(r.gpu() + " ep" + r.ep() + " measured").isGreaterThan(1.05);
                assertThat(r.modelSpeedup()).as(r.gpu() + " ep" + r.ep() + " model").isGreaterThan(1.05);
            }
        }
    }

    @Test
    void zipfWorstCasePlacementOverstatesTheMeasuredPowerLawSlowdown() {
        assertThat(RESULT.skew()).hasSize(16);
        for (MoeEpValidation.SkewRow s : RESULT.skew()) {
            String what = s.gpu() + " ep" + s.ep();
            // Measured: power_law_1.2 costs 1.09-1.45x balanced at 8192 tokens, at every EP degree.
            assertThat(s.measuredRatio()).as(what).isBetween(1.05, 1.50);
            if (s.ep() == 1) {
                assertThat(s.modelRatio()).as(what).isCloseTo(1.0, within(0.01));
            } else {
                // Worst-case placement (hottest experts together on shard 0) by design.
                assertThat(s.modelRatio()).as(what).isGreaterThan(1.8);
            }
        }
    }
}
