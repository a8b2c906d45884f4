package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** vLLM's fused-MoE layer kernel by kernel on a toy GPU where one byte takes one nanosecond. */
class FusedMoeKernelTest {
    /** 1 GB/s, 4 SMs, FLOP/s so high that every kernel is memory-bound. */
    private static final GpuSpec TOY = new GpuSpec("toy", "Toy GPU", 1e18, 0, 1L << 30, 1e9, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
    /** 100 ns per launch; MoE kernels at full bandwidth, no per-SM ceiling (1e9 GB/s per SM). */
    private static final RooflineEfficiency EFF =
            new RooflineEfficiency(1, 0, 1, 100, 1, 10, 1, 1, 1, 50, 7, 1, 10, 1, 1, 0, 1, 1, 1e9);
    /** hidden 4, expert width 8, top-2, bf16. */
    private static final FusedMoeKernel KERNEL = new FusedMoeKernel(4, 8, 2, 2);

    @Test
    void ep1IsAlignTwoGemmsActivationAndTopKSum() {
        // 4 tokens, 8 pairs over 4 experts, each kernel its bytes in ns + 100 ns:
        //   align 2 × (3 · 8 pairs · 4 B / 2 = 48)                             = 296
        //   w13: weights 4 · 2·8 · 4 + rows 8 · (4 + 16), × 2 B = 832         = 932
        //   silu_and_mul over all 8 rows: 8 · 3 · 8 · 2 = 384                   = 484
        //   w2: weights 4 · 4 · 8 + rows 8 · (8 + 4), × 2 B = 448              = 548
        //   moe_sum: (8 pairs + 4 tokens) · 4 · 2 = 96                          = 196
        OperatorCosts c = new OperatorCosts(TOY, EFF);
        assertThat(KERNEL.us(c, 4, 8, 4, 1, false) * 1000).isCloseTo(2456, within(1e-6));
    }

    @Test
    void underExpertParallelismOnlyTheGemmsShrink() {
        // EP2: 4 local pairs on 2 local experts. w13 (2·64 + 4·20)·2 = 416 → 516; w2 (2·32 + 4·12)·2 = 224
        // → 324; plus the zero-fill of all 8 rows × hidden: 64 → 164. Activation, sum and align unchanged.
        OperatorCosts c = new OperatorCosts(TOY, EFF);
        double ep2 = KERNEL.us(c, 4, 4, 2, 1, true) * 1000;
        assertThat(ep2).isCloseTo(296 + 516 + 484 + 164 + 324 + 196, within(1e-6));
        assertThat(KERNEL.us(c, 4, 8, 4, 1, false) * 1000 / ep2).isCloseTo(2456.0 / 1980, within(1e-9)).isLessThan(1.3);
    }

    @Test
    void streamingKernelsAreCappedPerSm() {
        // 0.1 GB/s per SM × 4 SMs = 0.4 GB/s < 1 GB/s: the activation's 384 B take 960 ns (+ 100).
        OperatorCosts capped = new OperatorCosts(TOY, EFF.with(RooflineEfficiency.MOE, 1, 1, 0.1));
        assertThat(capped.moeStreamUs(384) * 1000).isCloseTo(1060, within(1e-6));
        // The GEMMs' weight stream is not capped: only bandwidth × moe_bandwidth_fraction.
        assertThat(capped.moeGemmUs(0, 832, 1) * 1000).isCloseTo(932, within(1e-6));
    }

    @Test
    void paddingScalesComputeAtTheMoeFlopFraction() {
        GpuSpec slow = new GpuSpec("slow", "Slow", 1e9, 0, 1L << 30, 1e18, 4, GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2,
                null, 0, Map.of());
        OperatorCosts c = new OperatorCosts(slow, EFF.with(RooflineEfficiency.MOE, 0.5, 1, 1e9));
        // 1000 FLOPs × padding 2 at 0.5 × 1 GFLOP/s = 4000 ns, + 100.
        assertThat(c.moeGemmUs(1000, 0, 2) * 1000).isCloseTo(4100, within(1e-6));
    }
}
