package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RooflineStepTimeModelTest {
    private static final Path MODELS = Path.of("data/llmservingsim/models");

    /** 1 GB/s, so one byte takes one nanosecond; FLOP/s so high that every op is memory-bound. */
    private static final GpuSpec TOY_GPU = new GpuSpec("toy", "Toy GPU", 1e18, 0, 1L << 30, 1e9, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
    /** 1 layer, hidden 4, 2 heads, 1 KV head, head dim 2, MLP 8, vocab 16, bf16. */
    private static final ModelShape TOY_MODEL = new ModelShape("toy", 1, 4, 2, 1, 2, 8, 16, 0, 0, 0, 2, false);
    /** Full bandwidth; overheads per GEMM 100 ns, elementwise and sampler 10, attention 50, decode wave 7. */
    private static final RooflineEfficiency UNIT = new RooflineEfficiency(1, 0, 1, 100, 1, 10, 1, 1, 1, 50, 7, 1, 10, 1, 1, 0, 1, 1, 1);

    @Test
    void pureDecodeIsBytesOverBandwidthPlusOverheads() {
        BatchShape batch = new BatchShape();
        batch.addDecode(3);
        // Bytes per op at T = S = 1 (weights k·n plus input m·k and output m·n, × 2 bytes), + overhead:
        //   qkv   k=4 n=8:  (32+4+8)·2 = 88 + 100      o_proj k=4 n=4: (16+4+4)·2 = 48 + 100
        //   gate_up k=4 n=16: (64+4+16)·2 = 168 + 100  down k=8 n=4: (32+8+4)·2 = 88 + 100
        //   2 × RMSNorm 2·4·2 = 16 + 10               rotary 2·(2+1)·2·2 = 24 + 10      act 3·8·2 = 48 + 10
        //   attention: KV (3+1 tokens × 8 B) + q in/o out 2·4·2 = 48, + 50 + one wave 7
        // layer = 188 + 148 + 268 + 188 + 52 + 34 + 58 + 105 = 1041
        //   embedding 2·4·2 = 16 + 10, final norm 16 + 10, lm_head k=4 n=16: 168 + 100, sampler 16·4 = 64 + 10
        // once = 394
        RooflineStepTimeModel m = new RooflineStepTimeModel(TOY_GPU, TOY_MODEL, 1, UNIT);
        assertThat(m.stepTimeNs(batch)).isEqualTo(1041 + 394);
        assertThat(m.allReduceUs(batch)).isZero();
        assertThat(m.source()).isEqualTo("roofline:toy/toy/tp1");
    }

    @Test
    void prefillAtHighFlopsIsComputeBoundAtTheFittedFraction() {
        GpuSpec slow = new GpuSpec("slow", "Slow", 1e9, 0, 1L << 30, 1e18, 4, GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
        RooflineEfficiency half = new RooflineEfficiency(0.5, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1);
        RooflineStepTimeModel m = new RooflineStepTimeModel(slow, TOY_MODEL, 1, half);
        // qkv at 10 tokens: 2·10·4·8 = 640 FLOPs at 0.5 × 1 GFLOP/s = 1280 ns.
        assertThat(m.opUs(Op.QKV, 10) * 1000).isCloseTo(1280.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void onAHalfRatePartTheFittedFractionAppliesToTheFeedRateAndTheMathRateCapsIt() {
        // 1 GFLOP/s BF16 (FP32 accumulate) math, fed for 2 GFLOP/s (FP16 accumulate), like a GeForce part.
        GpuSpec geforce = new GpuSpec("gf", "GeForce-like", 1e9, 0, 1L << 30, 1e18, 4, GpuSpec.GpuLink.PCIE, 1e9, 1e9,
                1, 2, null, 2e9, Map.of());
        GpuSpec fullRate = new GpuSpec("dc", "Data-centre-like", 1e9, 0, 1L << 30, 1e18, 4, GpuSpec.GpuLink.PCIE, 1e9,
                1e9, 1, 2, null, 0, Map.of());
        RooflineEfficiency f07 = new RooflineEfficiency(0.7, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1);
        RooflineEfficiency f04 = new RooflineEfficiency(0.4, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1);
        // qkv at 10 tokens: 640 FLOPs.
        // Full rate, fraction 0.7: 640 / 0.7 GFLOP/s = 914.3 ns.
        assertThat(new RooflineStepTimeModel(fullRate, TOY_MODEL, 1, f07).opUs(Op.QKV, 10) * 1000)
                .isCloseTo(640 / 0.7, org.assertj.core.api.Assertions.within(1e-6));
        // Half rate, fraction 0.7: 0.7 × 2 GFLOP/s = 1.4 is above the 1 GFLOP/s math rate, which binds: 640 ns.
        assertThat(new RooflineStepTimeModel(geforce, TOY_MODEL, 1, f07).opUs(Op.QKV, 10) * 1000)
                .isCloseTo(640.0, org.assertj.core.api.Assertions.within(1e-6));
        // Half rate, fraction 0.4: 0.8 GFLOP/s, below the cap: 800 ns.
        assertThat(new RooflineStepTimeModel(geforce, TOY_MODEL, 1, f04).opUs(Op.QKV, 10) * 1000)
                .isCloseTo(800.0, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void tensorParallelTwoIsFasterForALargePrefillAndPaysAllReduce() {
        GpuCatalog catalog = GpuCatalog.builtin();
        GpuSpec h100 = catalog.get("h100_sxm");
        ModelShape llama = ModelShape.load(MODELS.resolve("meta-llama/Llama-3.1-8B.json"));
        RooflineEfficiency eff = RooflineFactors.builtin().forGpu(h100);
        BatchShape prefill = new BatchShape();
        prefill.addPrefill(2048, 0);
        RooflineStepTimeModel tp1 = new RooflineStepTimeModel(h100, llama, 1, eff);
        RooflineStepTimeModel tp2 = new RooflineStepTimeModel(h100, llama, 2, eff);
        assertThat(tp2.stepTimeNs(prefill)).isLessThan(tp1.stepTimeNs(prefill));
        assertThat(tp2.allReduceUs(prefill)).isPositive();
        assertThat(tp1.allReduceUs(prefill)).isZero();
        assertThat(tp2.source()).isEqualTo("roofline:h100_sxm/Llama-3.1-8B/tp2");
    }

    @Test
    void modelThatDoesNotFitNamesGpuModelAndTp() {
        GpuSpec rtx4090 = GpuCatalog.builtin().get("rtx_4090");
        ModelShape qwen32 = ModelShape.load(MODELS.resolve("Qwen/Qwen3-32B.json"));
        assertThatThrownBy(() -> new RooflineStepTimeModel(rtx4090, qwen32, 1, RooflineEfficiency.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("rtx_4090").hasMessageContaining(qwen32.name()).hasMessageContaining("tp1")
                .hasMessageContaining("does not fit");
    }

    @Test
    void tpThatDoesNotDivideHeadsIsRefused() {
        GpuSpec h100 = GpuCatalog.builtin().get("h100_sxm");
        ModelShape llama = ModelShape.load(MODELS.resolve("meta-llama/Llama-3.1-8B.json"));
        assertThatThrownBy(() -> new RooflineStepTimeModel(h100, llama, 3, RooflineEfficiency.DEFAULTS))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("tensor-parallel degree 3 does not divide the 32 attention heads");
    }

    @Test
    void everyCatalogGpuGetsCalibratedFactors() {
        GpuCatalog catalog = GpuCatalog.builtin();
        RooflineFactors factors = RooflineFactors.builtin();
        for (String id : catalog.ids()) {
            RooflineEfficiency e = factors.forGpu(catalog.get(id));
            assertThat(e.gemmFlopFraction()).isBetween(0.05, 1.0);
            assertThat(e.linkBandwidthFraction()).isBetween(0.02, 1.0);
        }
    }

    @Test
    void emptyBatchTakesNoTime() {
        RooflineStepTimeModel m = new RooflineStepTimeModel(TOY_GPU, TOY_MODEL, 1, UNIT);
        assertThat(m.stepTimeNs(new BatchShape())).isZero();
    }
}
