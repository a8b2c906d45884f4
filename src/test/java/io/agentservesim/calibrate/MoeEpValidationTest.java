package io.agentservesim.calibrate;

import static io.agentservesim.calibrate.RepoData.DATA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the roofline's MoE layer ({@link FusedMoeKernel}) against AIConfigurator's measured vLLM fused-MoE
 * kernel (Qwen3-30B-A3B expert shape, balanced routing, moe_tp 1, EP 1/2/4/8, 1..8192 tokens): the
 * numbers VALIDATION.md reports, each within about one point, with the shipped calibration and with the
 * MoE factors fitted without the GPU, so a change to the MoE pricing or the calibration shows here.
 */
class MoeEpValidationTest {
    private static final MoeEpValidation.Result RESULT = MoeEpValidation.run(DATA,
            GpuCatalog.builtin(), RooflineFactors.builtin());

    /**
     * gpu, ep, rows compared, cache-resident rows left out (measured faster than their ideal roofline),
     * mean |err| %, max |err| %, measured speed-up vs EP1, modelled speed-up (at 8192 tokens),
     * then held out (MoE factors fitted on the other GPUs): mean |err| %, max |err| %, modelled speed-up.
     */
    private static final Object[][] EXPECTED = {
        {"h100_sxm", 1, 25, 0, 2.8, 7.8, 1.00, 1.00, 4.1, 15.1, 1.00},
        {"h100_sxm", 2, 25, 0, 2.4, 9.7, 1.54, 1.48, 2.5, 11.3, 1.30},
        {"h100_sxm", 4, 25, 0, 2.7, 11.3, 2.20, 2.10, 4.5, 13.9, 1.69},
        {"h100_sxm", 8, 25, 0, 3.6, 18.3, 2.87, 2.67, 7.2, 26.1, 1.99},
        {"h200_sxm", 1, 25, 0, 4.3, 14.1, 1.00, 1.00, 3.4, 12.3, 1.00},
        {"h200_sxm", 2, 25, 0, 3.0, 25.3, 1.41, 1.43, 4.1, 24.6, 1.32},
        {"h200_sxm", 4, 25, 0, 2.9, 10.1, 2.04, 1.98, 6.4, 25.4, 1.73},
        {"h200_sxm", 8, 25, 0, 4.0, 19.5, 2.66, 2.46, 11.2, 38.1, 2.05},
        {"b200_sxm", 1, 25, 0, 8.9, 17.5, 1.00, 1.00, 11.9, 28.7, 1.00},
        {"b200_sxm", 2, 25, 0, 3.8, 8.3, 1.15, 1.20, 15.0, 25.6, 1.17},
        {"b200_sxm", 4, 25, 0, 4.1, 11.0, 1.49, 1.49, 14.4, 23.0, 1.42},
        {"b200_sxm", 8, 25, 0, 7.1, 13.0, 1.76, 1.69, 13.7, 21.0, 1.60},
        {"rtx_pro_6000_server", 1, 24, 1, 2.6, 11.7, 1.00, 1.00, 12.2, 25.3, 1.00},
        {"rtx_pro_6000_server", 2, 24, 1, 6.1, 86.4, 1.47, 1.48, 14.4, 99.8, 1.51},
        {"rtx_pro_6000_server", 4, 24, 1, 8.3, 85.1, 2.08, 2.12, 13.4, 98.4, 2.20},
        {"rtx_pro_6000_server", 8, 24, 1, 9.3, 75.2, 2.58, 2.69, 16.5, 87.7, 2.84},
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
            assertThat(r.points()).as(what + " rows compared").isEqualTo(x[2]);
            assertThat(r.cacheResident()).as(what + " cache-resident rows").isEqualTo(x[3]);
            assertThat(100 * r.meanAbsError()).as(what + " mean |err| %").isCloseTo((Double) x[4], within(1.0));
            assertThat(100 * r.maxAbsError()).as(what + " max |err| %").isCloseTo((Double) x[5], within(1.0));
            assertThat(r.measuredSpeedup()).as(what + " measured speed-up").isCloseTo((Double) x[6], within(0.02));
            assertThat(r.modelSpeedup()).as(what + " model speed-up").isCloseTo((Double) x[7], within(0.02));
            assertThat(100 * r.logoMeanAbsError()).as(what + " held-out mean |err| %").isCloseTo((Double) x[8], within(1.0));
            assertThat(100 * r.logoMaxAbsError()).as(what + " held-out max |err| %").isCloseTo((Double) x[9], within(1.0));
            assertThat(r.logoSpeedup()).as(what + " held-out speed-up").isCloseTo((Double) x[10], within(0.02));
        }
    }

    @Test
    void expertParallelSpeedUpIsFarBelowTheDegreeInModelAndData() {
        for (MoeEpValidation.EpRow r : RESULT.ep()) {
            if (r.ep() > 1) {
                String what = r.gpu() + " ep" + r.ep();
                // Measured 1.15-1.54x at EP2 and 1.76-2.87x at EP8: well below the degree, model alike.
                assertThat(r.measuredSpeedup()).as(what + " measured").isGreaterThan(1.05).isLessThan(0.8 * r.ep());
                assertThat(r.modelSpeedup()).as(what + " model").isGreaterThan(1.05).isLessThan(0.8 * r.ep());
                // Shipped: within 30 % below and 20 % above the measured speed-up. Held out: within 35 %
                // below (H100 EP8 is 0.69x since the RTX PRO 6000's bandwidth was corrected to its Server
                // Edition's 1597 GB/s and its MoE factors, which the H100's held-out fit uses, moved).
                assertThat(r.modelSpeedup() / r.measuredSpeedup()).as(what).isBetween(0.7, 1.2);
                assertThat(r.logoSpeedup() / r.measuredSpeedup()).as(what + " held out").isBetween(0.65, 1.2);
            }
        }
    }

    @Test
    void theFitLeavesOutExactlyTheRowsThatRanFromCache() {
        // Rows measured faster than their ideal roofline (peak FLOP/s and DRAM bandwidth, no overhead) are the
        // RTX PRO 6000's calls with 8 local experts (75 MB of weights, inside its 128 MB L2) at EP 1/2/4/8;
        // no row of the HBM GPUs (50 MB L2 on H100/H200) is.
        GpuCatalog catalog = GpuCatalog.builtin();
        for (GpuData g : GpuData.discover(DATA, catalog)) {
            if (g.moe() == null) {
                continue;
            }
            List<MoeKernelTable.Row> all = g.moe().balancedRows();
            List<MoeKernelTable.Row> kept = SharedFit.dramReachable(g, catalog.get(g.gpuId()));
            List<String> left = all.stream().filter(r -> !kept.contains(r)).map(r -> r.tokens() + "/ep" + r.ep())
                    .toList();
            if (g.gpuId().equals("rtx_pro_6000_server")) {
                assertThat(left).as(g.gpuId()).containsExactly("1/ep1", "2/ep2", "4/ep4", "8/ep8");
            } else {
                assertThat(left).as(g.gpuId()).isEmpty();
            }
        }
    }

    @Test
    void powerLawRoutingAtEp1WithShippedAndDefaultFactors() {
        // gpu, s, fitted on these rows, points, shipped mean / max / signed err %, default MoE factors mean /
        // max / signed err %. A100 and L40S have no balanced rows: with the default MoE factors (what a GPU
        // without MoE data gets) their fused-MoE layer comes out 23-39 % too fast; their own refit on these
        // rows brings it within 10 % on average. On the other GPUs the Zipf routing model is 6-17 % fast.
        Object[][] expected = {
            {"a100_sxm", 1.01, true, 25, 9.8, 39.6, 4.6, 24.0, 36.6, -22.8},
            {"a100_sxm", 1.20, true, 25, 8.9, 31.0, -2.3, 28.2, 41.5, -27.5},
            {"h100_sxm", 1.01, false, 25, 8.4, 26.6, -7.8, 11.3, 28.4, -11.2},
            {"h100_sxm", 1.20, false, 25, 14.1, 37.4, -14.1, 17.5, 39.1, -17.5},
            {"h200_sxm", 1.01, false, 25, 9.7, 25.4, -8.9, 10.4, 26.5, -9.7},
            {"h200_sxm", 1.20, false, 25, 14.7, 36.1, -14.4, 15.4, 37.0, -15.2},
            {"b200_sxm", 1.01, false, 25, 9.6, 25.5, -5.6, 19.5, 35.3, -18.0},
            {"b200_sxm", 1.20, false, 25, 13.1, 31.7, -11.1, 24.3, 40.0, -22.8},
            {"l40s", 1.01, true, 24, 9.5, 38.4, 4.9, 33.7, 49.4, -33.7},
            {"l40s", 1.20, true, 24, 8.2, 30.6, -3.2, 38.8, 55.7, -38.8},
            {"rtx_pro_6000_server", 1.01, false, 24, 10.1, 32.2, -10.1, 8.2, 27.3, -3.5},
            {"rtx_pro_6000_server", 1.20, false, 24, 16.7, 43.2, -16.7, 12.3, 38.6, -10.6},
        };
        assertThat(RESULT.powerLaw()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            MoeEpValidation.PowerLawRow r = RESULT.powerLaw().get(i);
            Object[] x = expected[i];
            String what = r.gpu() + " s" + r.zipfS();
            assertThat(r.gpu()).as(what).isEqualTo(x[0]);
            assertThat(r.zipfS()).as(what).isEqualTo((Double) x[1]);
            assertThat(r.fitted()).as(what + " fitted").isEqualTo(x[2]);
            assertThat(r.points()).as(what + " points").isEqualTo(x[3]);
            assertThat(100 * r.meanAbsError()).as(what + " shipped mean").isCloseTo((Double) x[4], within(1.0));
            assertThat(100 * r.maxAbsError()).as(what + " shipped max").isCloseTo((Double) x[5], within(1.0));
            assertThat(100 * r.signedError()).as(what + " shipped signed").isCloseTo((Double) x[6], within(1.0));
            assertThat(100 * r.defaultMeanAbsError()).as(what + " default mean").isCloseTo((Double) x[7], within(1.0));
            assertThat(100 * r.defaultMaxAbsError()).as(what + " default max").isCloseTo((Double) x[8], within(1.0));
            assertThat(100 * r.defaultSignedError()).as(what + " default signed").isCloseTo((Double) x[9], within(1.0));
        }
    }

    @Test
    void moeFactorsOfEachGpuAndOfTheFitWithoutIt() {
        // gpu, shipped flop fraction / bandwidth fraction / GB/s per SM, then fitted without the GPU.
        double[][] expected = {
            {0.511, 0.868, 17.0, 0.671, 0.901, 12.7},
            {0.598, 0.878, 17.2, 0.616, 0.901, 12.4},
            {0.453, 0.762, 12.8, 0.608, 0.917, 15.6},
            // The RTX PRO 6000's bandwidth fraction sat at the fit's bound 1.0 while its four cache-resident
            // rows (8 local experts, 75 MB, inside its 128 MB L2) were fitted; without them it is 0.973.
            {0.669, 0.973, 7.4, 0.592, 0.846, 14.2},
        };
        assertThat(RESULT.factors()).extracting(MoeEpValidation.Factors::gpu)
                .containsExactly("h100_sxm", "h200_sxm", "b200_sxm", "rtx_pro_6000_server");
        for (int i = 0; i < expected.length; i++) {
            MoeEpValidation.Factors f = RESULT.factors().get(i);
            double[] x = expected[i];
            assertThat(f.flopFraction()).as(f.gpu()).isCloseTo(x[0], within(0.005));
            assertThat(f.bandwidthFraction()).as(f.gpu()).isCloseTo(x[1], within(0.005));
            assertThat(f.smBandwidthGbps()).as(f.gpu()).isCloseTo(x[2], within(0.2));
            assertThat(f.logoFlopFraction()).as(f.gpu()).isCloseTo(x[3], within(0.005));
            assertThat(f.logoBandwidthFraction()).as(f.gpu()).isCloseTo(x[4], within(0.005));
            assertThat(f.logoSmBandwidthGbps()).as(f.gpu()).isCloseTo(x[5], within(0.2));
        }
    }

    @Test
    void narrowerTensorParallelExpertsAtEp1() {
        // gpu, moe_tp, rows compared, cache-resident rows left out, mean |err| %, max |err| % (shipped
        // factors; not fitted on these rows).
        Object[][] expected = {
            {"h100_sxm", 2, 25, 0, 5.4, 43.1}, {"h100_sxm", 4, 25, 0, 7.9, 38.0},
            {"h200_sxm", 2, 25, 0, 6.3, 22.5}, {"h200_sxm", 4, 25, 0, 9.7, 41.7},
            {"b200_sxm", 2, 25, 0, 9.7, 30.8}, {"b200_sxm", 4, 25, 0, 14.5, 25.5},
            {"rtx_pro_6000_server", 2, 22, 3, 2.9, 6.5}, {"rtx_pro_6000_server", 4, 23, 2, 8.0, 83.8},
        };
        assertThat(RESULT.tp()).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            MoeEpValidation.TpRow r = RESULT.tp().get(i);
            String what = r.gpu() + " tp" + r.tp();
            assertThat(r.gpu()).as(what).isEqualTo(expected[i][0]);
            assertThat(r.tp()).as(what).isEqualTo(expected[i][1]);
            assertThat(r.points()).as(what + " rows compared").isEqualTo(expected[i][2]);
            assertThat(r.cacheResident()).as(what + " cache-resident rows").isEqualTo(expected[i][3]);
            assertThat(100 * r.meanAbsError()).as(what).isCloseTo((Double) expected[i][4], within(1.0));
            assertThat(100 * r.maxAbsError()).as(what).isCloseTo((Double) expected[i][5], within(1.0));
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
                // One GPU does all pairs either way; only the padding of the many cold experts' rows to
                // whole tiles costs more.
                assertThat(s.modelRatio()).as(what).isBetween(1.05, 1.12);
            } else {
                // Worst-case placement (hottest experts together on shard 0) by design: above the
                // measured busiest-of-random-groups, growing with the degree.
                assertThat(s.modelRatio()).as(what).isGreaterThan(s.measuredRatio()).isBetween(1.3, 2.7);
            }
        }
    }
}
