package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProfileWithRooflineTest {
    private static final Path D = Path.of("data/llmservingsim");
    private static final ModelShape LLAMA = ModelShape.load(D.resolve("models/meta-llama/Llama-3.1-8B.json"));
    private static final Path PRO = D.resolve("perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16");

    private static BatchShape batch() {
        BatchShape b = new BatchShape();
        b.addPrefill(512, 128);
        for (int i = 0; i < 16; i++) {
            b.addDecode(300 + 10 * i);
        }
        return b;
    }

    @Test
    void aCompleteBundleAtTp1IsThePlainProfile() {
        StepTimeModel m = StepTimeModels.forGpu(PRO, GpuCatalog.builtin().get("rtx_pro_6000_server"), LLAMA, 1, null);
        assertThat(m).isInstanceOf(ProfileStepTimeModel.class);
        StepTimeModel plain = StepTimeModels.fromProfile(PRO, 1, LLAMA, null);
        assertThat(m.stepTimeNs(batch())).isEqualTo(plain.stepTimeNs(batch()));
    }

    @Test
    void atTp2TheRooflineAddsTheAllReducesTheProfileNeverMeasured() {
        var gpu = GpuCatalog.builtin().get("rtx_pro_6000_server");
        StepTimeModel m = StepTimeModels.forGpu(PRO, gpu, LLAMA, 2, null);
        assertThat(m.source()).isEqualTo("profile:RTXPRO6000/meta-llama/Llama-3.1-8B/tp2+roofline:rtx_pro_6000_server(all_reduce)");
        long profileOnly = StepTimeModels.bundleOnly(PRO, 2, LLAMA, null).stepTimeNs(batch());
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, LLAMA, 2, RooflineFactors.builtin().forGpu(gpu));
        assertThat(m.stepTimeNs(batch()) - profileOnly).isCloseTo(Math.round(roof.allReduceUs(batch()) * 1000),
                org.assertj.core.data.Offset.offset(2L));
    }

    /**
     * The profile path (validate --profile, LLMServingSim config.json, YAML without hardware.gpu) prices the
     * TP all-reduces too: the bundle emulates TP2 on one GPU and measured none, so the served TP2 step is the
     * bundle's plus 2 all-reduces per layer of tokens x hidden x 2 bytes over the PCIe pair and the logits'
     * all-gather, the same as
     * the YAML path with hardware.gpu, and slower than half the TP1 step by at least that cost.
     */
    @Test
    void theProfilePathAtTp2PricesTheAllReducesLikeTheGpuPath() {
        var gpu = GpuCatalog.builtin().get("rtx_pro_6000_server");
        StepTimeModel profilePath = StepTimeModels.fromProfile(PRO, 2, LLAMA, null);
        assertThat(profilePath.source()).isEqualTo(
                "profile:RTXPRO6000/meta-llama/Llama-3.1-8B/tp2+roofline:rtx_pro_6000_server(all_reduce)");
        assertThat(profilePath.stepTimeNs(batch())).isEqualTo(StepTimeModels.forGpu(PRO, gpu, LLAMA, 2, null).stepTimeNs(batch()));
        OperatorCosts costs = new OperatorCosts(gpu, RooflineFactors.builtin().forGpu(gpu));
        double bytes = (512 + 16) * 4096 * 2.0;   // 512 prefill + 16 decode tokens
        // plus vLLM V1's all-gather of the vocab-parallel logits of the 17 sequences (half of 17 x 128256 x 2 B
        // arrives at each rank), which the bundle's one-GPU LM head does not measure either
        double allReduceNs = (32 * 2 * costs.allReduceUs(bytes, 2) + costs.ncclAllGatherUs(0.5 * 17 * 128_256 * 2, 2)) * 1000;
        long bundleNs = StepTimeModels.bundleOnly(PRO, 2, LLAMA, null).stepTimeNs(batch());
        assertThat((double) profilePath.stepTimeNs(batch()) - bundleNs).isCloseTo(allReduceNs,
                org.assertj.core.data.Offset.offset(2.0));
        long tp1 = StepTimeModels.fromProfile(PRO, 1, LLAMA, null).stepTimeNs(batch());
        assertThat(profilePath.stepTimeNs(batch())).isGreaterThanOrEqualTo(Math.round(tp1 / 2.0 + allReduceNs));
    }

    @Test
    void noBundleOrAnUnmeasuredTpMeansTheRooflineAlone() {
        var h100 = GpuCatalog.builtin().get("h100_sxm");
        assertThat(StepTimeModels.forGpu(null, h100, LLAMA, 1, null).source()).isEqualTo("roofline:h100_sxm/Llama-3.1-8B/tp1");
        var pro = GpuCatalog.builtin().get("rtx_pro_6000_server");
        assertThat(StepTimeModels.forGpu(PRO, pro, LLAMA, 4, null).source()).isEqualTo("roofline:rtx_pro_6000_server/Llama-3.1-8B/tp4");
    }

    @Test
    void anOpMissingFromTheBundleIsPricedByTheRoofline() {
        var gpu = GpuCatalog.builtin().get("rtx_pro_6000_server");
        ProfileStepTimeModel profile = StepTimeModels.bundleOnly(PRO, 1, LLAMA, null);
        RooflineStepTimeModel roof = new RooflineStepTimeModel(gpu, LLAMA, 1, RooflineFactors.builtin().forGpu(gpu));
        var m = new ProfileWithRooflineStepTimeModel(profile, roof, new Op[] {Op.LAYERNORM}, 32, true, gpu.id());
        assertThat(m.source()).endsWith("+roofline:rtx_pro_6000_server(layernorm)");
        double extra = 32 * 2 * roof.opUs(Op.LAYERNORM, batch().totalTokens());
        assertThat(m.stepTimeNs(batch()) - profile.stepTimeNs(batch())).isCloseTo(Math.round(extra * 1000),
                org.assertj.core.data.Offset.offset(2L));
    }
}
