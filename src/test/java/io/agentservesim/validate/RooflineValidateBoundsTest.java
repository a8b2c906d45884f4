package io.agentservesim.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The number a user with no profile gets: the two real vLLM 0.19 runs replayed with the roofline step
 * times alone (GPU from the run's hardware, built-in calibration). The issue asks for a mean |Diff%|
 * of at most 10 % on both; measured when committed (GEMM tile/wave form, per-kernel varlen attention):
 * RTX 4090 0.94 %, RTX PRO 6000 3.00 % (VALIDATION.md,
 * "Roofline-only validate"). The bounds are the goal, with the measured values well inside them.
 */
class RooflineValidateBoundsTest {
    private static final Path D = Path.of("data/llmservingsim");
    private static final Path WORKLOAD = D.resolve("workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz");
    private static final Path MODEL = D.resolve("models/meta-llama/Llama-3.1-8B.json");

    private static Validator.Result roofline(String hw, String gpu) {
        return Validator.validateRoofline(D.resolve("runs/" + hw + "/Llama-3.1-8B"), WORKLOAD, gpu, MODEL, null);
    }

    @Test
    void rtx4090RunWithTheRooflineAloneIsWithinTenPercentOnAverage() {
        Validator.Result r = roofline("RTX4090", null);
        assertThat(r.stepTimeSource()).isEqualTo("roofline:rtx_4090/Llama-3.1-8B/tp1");
        assertThat(r.rows()).hasSize(15);
        assertThat(r.meanAbsDiffPct()).isLessThanOrEqualTo(1.5);
    }

    @Test
    void rtxPro6000RunWithTheRooflineAloneIsWithinTenPercentOnAverage() {
        Validator.Result r = roofline("RTXPRO6000", null);
        assertThat(r.stepTimeSource()).isEqualTo("roofline:rtx_pro_6000_server/Llama-3.1-8B/tp1");
        assertThat(r.meanAbsDiffPct()).isLessThanOrEqualTo(5.0);
    }

    @Test
    void anExplicitGpuOverridesTheRunsHardware() {
        Validator.Result r = roofline("RTX4090", "h100_sxm");
        assertThat(r.stepTimeSource()).isEqualTo("roofline:h100_sxm/Llama-3.1-8B/tp1");
        // an H100 is far faster than the 4090 the run was measured on
        assertThat(r.byLabel().get("TPOT Mean").sim()).isLessThan(r.byLabel().get("TPOT Mean").real() * 0.6);
    }

    @Test
    void unknownHardwareNamesTheKnownOnes() {
        assertThatThrownBy(() -> Validator.catalogId(Path.of("config.json"), "TPUv5"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("RTX4090, RTXPRO6000").hasMessageContaining("--gpu");
        assertThatThrownBy(() -> roofline("RTX4090", "no_such_gpu"))
                .isInstanceOf(InputException.class).hasMessageContaining("valid ids").hasMessageContaining("rtx_4090");
    }
}
