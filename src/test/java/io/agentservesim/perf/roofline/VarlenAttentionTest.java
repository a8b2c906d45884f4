package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variable-length attention kernel: which kernel runs where, and how its blocks are priced. */
class VarlenAttentionTest {
    private static final GpuCatalog CATALOG = GpuCatalog.builtin();
    private static final ModelShape LLAMA = ModelShape.load(Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json"));

    /** 4 SMs of 1 GFLOP/s each, 1 GB/s; every fraction 1 and every overhead 0. */
    private static final GpuSpec TOY = new GpuSpec("toy", "Toy", 4e9, 0, 1L << 30, 1e9, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
    private static final RooflineEfficiency UNIT = new RooflineEfficiency(1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0);

    @Test
    void vllmsDefaultKernelFollowsTheComputeCapability() {
        assertThat(AttentionKernel.forGpu(CATALOG.get("h100_sxm"))).isEqualTo(AttentionKernel.FLASH_ATTENTION_3);
        assertThat(AttentionKernel.forGpu(CATALOG.get("b200_sxm"))).isEqualTo(AttentionKernel.FLASHINFER);
        assertThat(AttentionKernel.forGpu(CATALOG.get("a100_sxm"))).isEqualTo(AttentionKernel.FLASH_ATTENTION_2);
        assertThat(AttentionKernel.forGpu(CATALOG.get("rtx_pro_6000_server"))).isEqualTo(AttentionKernel.FLASH_ATTENTION_2);
        assertThat(AttentionKernel.forGpu(TOY)).isEqualTo(AttentionKernel.FLASH_ATTENTION_2);
        assertThat(AttentionKernel.FLASH_ATTENTION_2.queryTile()).isEqualTo(64);
    }

    @Test
    void theLongestBlockIsTheCriticalPathAndWavesQuantise() {
        OperatorCosts c = new OperatorCosts(TOY, UNIT);
        // 3 blocks on 4 SMs, one of 8 GFLOP: 8 s on its SM, not (8+1+1)/4 spread over all of them.
        assertThat(c.varlenAttentionUs(10e9, 8e9, 3, 3, 1, 0, 0, false)).isCloseTo(8e6, within(1.0));
        // 8 equal 1-GFLOP blocks on 4 SMs: two full waves, 2 s.
        assertThat(c.varlenAttentionUs(8e9, 1e9, 8, 8, 1, 0, 0, false)).isCloseTo(2e6, within(1.0));
        // 5 of them: the fifth needs a second wave, still 2 s.
        assertThat(c.varlenAttentionUs(5e9, 1e9, 5, 5, 1, 0, 0, false)).isCloseTo(2e6, within(1.0));
    }

    @Test
    void onlyABlockPerTileKernelPaysItsOwnSetupTimePerWave() {
        // Decode-kernel wave 7 µs, varlen (FlashAttention-2) block setup 100 µs per wave.
        RooflineEfficiency eff = new RooflineEfficiency(1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 7_000, 100_000, 1, 0, 1, 1, 0,
                1, 1, 1e9);
        OperatorCosts c = new OperatorCosts(TOY, eff);
        // 8 blocks of 1 GFLOP on 4 SMs: two waves of 1 s each, plus 100 µs setup per wave for FA2.
        assertThat(c.varlenAttentionUs(8e9, 1e9, 8, 8, 1, 0, 0, true)).isCloseTo(2e6 + 200, within(1e-6));
        // A persistent kernel (FlashAttention-3, FlashInfer) pays none, and never the decode kernel's 7 µs.
        assertThat(c.varlenAttentionUs(8e9, 1e9, 8, 8, 1, 0, 0, false)).isCloseTo(2e6, within(1e-6));
    }

    @Test
    void gqaSiblingsReadTheKvOnceOnlyWhenTheirBlocksShareAWave() {
        OperatorCosts c = new OperatorCosts(TOY, UNIT);
        // Group of 4 query heads per KV head, 1 GB of KV counted once per KV head.
        // One block per head: all 4 siblings fit the 4 SMs together, the KV is read once: 1 s.
        assertThat(c.varlenAttentionUs(0, 0, 4, 1, 4, 1e9, 0, false)).isCloseTo(1e6, within(1.0));
        // Two blocks per head: 2 siblings per wave, read twice: 2 s.
        assertThat(c.varlenAttentionUs(0, 0, 8, 2, 4, 1e9, 0, false)).isCloseTo(2e6, within(1.0));
        // Eight blocks per head: no sibling shares a wave, read by every query head: 4 s.
        assertThat(c.varlenAttentionUs(0, 0, 32, 8, 4, 1e9, 0, false)).isCloseTo(4e6, within(1.0));
    }

    @Test
    void onRtxPro6000OneToFourLongDecodesCostTheSameAndEightTakeTwoWaves() {
        // Measured (LLMServingSim bundle, Llama-3.1-8B tp1, a 16-token chunk plus n decodes of 16,384
        // tokens): 364, 362, 367 µs for n = 1, 2, 4 (one wave: a decode's 32 blocks run side by side)
        // and 734 µs for n = 8 (288 blocks on 188 SMs: two waves).
        GpuSpec gpu = CATALOG.get("rtx_pro_6000_server");
        RooflineStepTimeModel m = new RooflineStepTimeModel(gpu, LLAMA, 1, RooflineFactors.builtin().forGpu(gpu));
        double one = m.attentionUs(16, 0, 1, 16384);
        assertThat(m.attentionUs(16, 0, 4, 16384)).isCloseTo(one, within(0.01 * one));
        assertThat(m.attentionUs(16, 0, 8, 16384) / one).isCloseTo(2.0, within(0.1));
        assertThat(one).isCloseTo(364.0, within(0.15 * 364.0));
    }

    @Test
    void aBatchOfOneTokenChunksTakesTheDecodePath() {
        GpuSpec gpu = CATALOG.get("a100_sxm");
        RooflineStepTimeModel m = new RooflineStepTimeModel(gpu, LLAMA, 1, RooflineFactors.builtin().forGpu(gpu));
        BatchShape chunks = new BatchShape();
        BatchShape decodes = new BatchShape();
        for (int i = 0; i < 64; i++) {
            chunks.addPrefill(1, 999);
            decodes.addDecode(999);
        }
        assertThat(m.attentionUs(chunks)).isCloseTo(m.attentionUs(decodes), within(1e-9));
    }

    @Test
    void flashInferRunsAMixedStepsDecodesOnTheDecodeKernel() {
        GpuSpec gpu = CATALOG.get("b200_sxm");
        RooflineStepTimeModel m = new RooflineStepTimeModel(gpu, LLAMA, 1, RooflineFactors.builtin().forGpu(gpu));
        double mixed = m.attentionUs(512, 0, 32, 4096);
        assertThat(mixed).isCloseTo(m.attentionUs(512, 0, 0, 0) + m.attentionUs(0, 0, 32, 4096), within(1e-9));
    }
}
