package io.agentservesim.calibrate;

import static io.agentservesim.calibrate.RepoData.DATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The calibration pipeline end to end (the shared fit over several GPUs, each GPU held out and priced with
 * factors fitted on the others, op classes and whole steps) on a small fixed subset of the data, in a few
 * seconds: A100, H100 and L40S (their AIConfigurator kernel tables) and the RTX 4090 (its LLMServingSim
 * bundle), each held out in turn and predicted from the other three. The full tables of VALIDATION.md (seven
 * GPUs, every bundle) come from {@code asim calibrate}; their bounds and the shipped file are guarded by
 * {@link LeaveOneOutRegressionTest} and {@link ShippedCalibrationTest} in the {@code calibration} profile.
 *
 * <p>The fit is deterministic, so the values are pinned to ±0.05 points: a change to the roofline, the fit or
 * the data moves them (re-pin with the reason in the commit).
 */
class CalibrationSubsetTest {
    private static final GpuCatalog CATALOG = GpuCatalog.builtin();
    private static final List<GpuHoldOutValidation.Row> ROWS = GpuHoldOutValidation.run(
            GpuData.discover(DATA, CATALOG, Set.of("a100_sxm", "h100_sxm", "l40s", "rtx_4090")),
            GpuHoldOutValidation.llama(DATA), CATALOG);

    /** gpu, key, rows compared, mean |err| %, signed mean err %. */
    private static final Object[][] PINNED = {
        {"a100_sxm", "gemm", 1764, 16.351, -7.171},
        {"a100_sxm", "attn context", 714, 11.315, 1.068},
        {"a100_sxm", "attn generation", 888, 29.998, -29.590},
        {"a100_sxm", "step:all", 20, 10.242, -7.127},
        {"h100_sxm", "gemm", 6438, 11.262, 5.662},
        {"h100_sxm", "attn context", 714, 30.470, 13.664},
        {"h100_sxm", "attn generation", 888, 19.032, 16.214},
        {"h100_sxm", "step:all", 20, 4.586, 3.828},
        {"l40s", "gemm", 1764, 18.529, 5.525},
        {"l40s", "step:all", 20, 4.230, -2.612},
        {"rtx_4090", "gemm", 648, 13.723, 13.145},
        {"rtx_4090", "attn bundle grid", 8643, 19.842, -13.169},
        {"rtx_4090", "step:decode", 18, 9.955, 8.788},
        {"rtx_4090", "step:prefill", 12, 5.012, 4.777},
        {"rtx_4090", "step:mixed", 9, 9.420, 8.676},
        {"rtx_4090", "step:all", 39, 8.311, 7.528},
    };

    @Test
    void eachGpuIsHeldOutAgainstItsOwnReference() {
        assertThat(ROWS).extracting(r -> r.gpuId() + " | " + r.label()).containsExactly(
                "a100_sxm | AIC tables, Llama-3.1-8B", "h100_sxm | AIC tables, Llama-3.1-8B",
                "l40s | AIC tables, Llama-3.1-8B", "rtx_4090 | bundle Llama-3.1-8B tp1");
    }

    @Test
    void heldOutErrorsAreThePinnedOnes() {
        for (Object[] p : PINNED) {
            GpuHoldOutValidation.Row row = ROWS.stream().filter(r -> r.gpuId().equals(p[0])).findFirst().orElseThrow();
            ErrorStats e = row.errors().get((String) p[1]);
            String what = p[0] + " " + p[1];
            assertThat(e.count()).as(what + " rows").isEqualTo(p[2]);
            assertThat(100 * e.meanAbs()).as(what + " mean |err| %").isCloseTo((Double) p[3], within(0.05));
            assertThat(100 * e.meanSigned()).as(what + " signed mean %").isCloseTo((Double) p[4], within(0.05));
        }
    }

    @Test
    void theRtx4090PredictedFromThreeDataCentreGpusStaysWithinTenPercentPerStepKind() {
        // The bundle GPU that no other data covers, priced from AIConfigurator tables of other GPUs alone: the
        // roofline's claim to generalise. With all six other GPUs it is 7.5 % (VALIDATION.md).
        GpuHoldOutValidation.Row rtx = ROWS.get(3);
        for (String kind : new String[] {"step:decode", "step:prefill", "step:mixed", "step:all"}) {
            assertThat(rtx.errors().get(kind).meanAbs()).as(kind).isLessThan(0.10);
        }
    }
}
