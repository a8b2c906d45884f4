package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.calibrate.MoeKernelTable;
import io.agentservesim.calibrate.StepShapes;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.MoeTable;
import io.agentservesim.perf.ProfileBundle;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.parallel.Parallelism;
import java.nio.file.Path;
import java.util.Locale;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Under expert parallelism the profile path prices the MoE layer as the measured tp1 table at the full
 * batch × the fused-MoE kernel model's EP ratio ({@link EpRoutedMoeTable}). On the RTX PRO 6000
 * Qwen3-30B-A3B bundle its EP speed-ups sit near the ones AIConfigurator measured for vLLM's fused-MoE
 * kernel on that GPU, where LLMServingSim's per-rank lookup gave close to the EP degree.
 */
class EpRoutedMoeTableTest {
    private static final Path D = Path.of("data/llmservingsim");
    private static final Path BUNDLE = D.resolve("perf/RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16");
    private static final ModelShape QWEN = ModelShape.load(D.resolve("models/Qwen/Qwen3-30B-A3B-Instruct-2507.json"));
    private static final GpuSpec PRO = GpuCatalog.builtin().get("rtx_pro_6000_server");
    private static final int T = 2048;
    private static final int K = 8;
    private static final int E = 128;

    private static MoeRouting balanced(int ep) {
        return MoeRouting.of(MoeRouting.Kind.BALANCED, 0, E, ep);
    }

    /** EP 1 (any TP, no routing skew) does not touch the MoE pricing: same ns as the factory without Parallelism. */
    @Test
    void ep1IsUnchanged() {
        for (int tp : new int[] {1, 2}) {
            StepTimeModel before = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, tp, null);
            StepTimeModel now = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, tp, null,
                    Parallelism.experts(1, MoeRouting.Kind.BALANCED, 0));
            assertThat(now.source()).isEqualTo(before.source()).doesNotContain("EP ratio");
            for (StepShapes.Step s : StepShapes.sample(StepShapes.SEED)) {
                assertThat(now.stepTimeNs(s.batch())).isEqualTo(before.stepTimeNs(s.batch()));
            }
        }
    }

    /**
     * The MoE layer at 2048 tokens, balanced: EP1→EPn speed-up within 0.7–1.3× of AIConfigurator's
     * measured one on this GPU and well below the EP degree (EP4, EP8; at EP2, where 1.65× was measured,
     * well below the old value); the old per-rank lookup is close to the degree.
     */
    @Test
    void epSpeedUpFollowsTheMeasuredFusedMoeKernel() {
        MoeTable tp1 = ProfileBundle.load(BUNDLE, 1).moe();
        RooflineEfficiency f = RooflineFactors.builtin().forGpu(PRO);
        MoeKernelTable aic = MoeKernelTable.find(Path.of("data/aiconfigurator/perf").resolve(PRO.id()), MoeKernelTable.oneLayer(QWEN));
        double ep1 = tp1.timeUs(T, Math.min(T * K, E));
        double measured1 = aic.series(1, 1, "balanced").get(T);
        for (int ep : new int[] {2, 4, 8}) {
            MoeRouting r = balanced(ep);
            double now = new EpRoutedMoeTable(tp1, PRO, QWEN, r, f).timeUs(T, Math.min(T * K, E));
            double pairs = (double) T * K;
            double old = tp1.timeUs(r.maxShardPairs(pairs) / K, r.maxShardActivated(pairs));
            TreeMap<Integer, Double> m = aic.series(1, ep, "balanced");
            double measured = measured1 / m.get(T);
            double speedup = ep1 / now;
            System.out.printf(Locale.ROOT, "EP%d @%d tokens: profile path %.2fx (was %.2fx), AIC measured %.2fx%n",
                    ep, T, speedup, ep1 / old, measured);
            assertThat(speedup / measured).isBetween(0.7, 1.3);
            // at EP2 AIConfigurator itself measured 0.83 x the degree: there, below the old lookup's
            assertThat(speedup).isLessThan(ep == 2 ? 0.9 * ep1 / old : 0.8 * ep);
            assertThat(ep1 / old).isGreaterThan(0.8 * ep);
        }
    }

    /** Skewed routing (hottest experts on shard 0) costs more than balanced at EP2, and the source says why. */
    @Test
    void zipfIsSlowerThanBalancedAtEp2() {
        MoeTable tp1 = ProfileBundle.load(BUNDLE, 1).moe();
        RooflineEfficiency f = RooflineFactors.builtin().forGpu(PRO);
        double b = new EpRoutedMoeTable(tp1, PRO, QWEN, balanced(2), f).timeUs(T, E);
        double z = new EpRoutedMoeTable(tp1, PRO, QWEN, MoeRouting.of(MoeRouting.Kind.ZIPF, 1.2, E, 2), f).timeUs(T, E);
        assertThat(z).isGreaterThan(b);
        StepTimeModel m = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, 1, null, Parallelism.experts(2, MoeRouting.Kind.ZIPF, 1.2));
        assertThat(m.source()).contains("+moe(ep2/zipf1.20: tp1 table x roofline EP ratio)");
    }
}
