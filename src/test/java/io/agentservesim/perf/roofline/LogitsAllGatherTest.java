package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModels;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * vLLM V1 all-gathers the vocab-parallel logits once per step at TP &gt; 1: Qwen3-32B (vocabulary 151,936,
 * bf16) decoding 64 sequences on 8 H100 pays an NCCL all-gather of 7/8 × 64 × 151,936 × 2 bytes per rank
 * on top of its 2 × 64 layer all-reduces; nothing at TP 1.
 */
class LogitsAllGatherTest {
    private static final GpuSpec H100 = GpuCatalog.builtin().get("h100_sxm");
    private static final ModelShape QWEN = ModelShape.load(Path.of("data/llmservingsim/models/Qwen/Qwen3-32B.json"));

    private static RooflineStepTimeModel model(int tp) {
        return new RooflineStepTimeModel(H100, QWEN, tp, RooflineFactors.builtin().forGpu(H100),
                StepTimeModels.defaultCaptureSizes(256));
    }

    private static BatchShape decodes(int n) {
        BatchShape b = new BatchShape();
        for (int i = 0; i < n; i++) {
            b.addDecode(1000);
        }
        return b;
    }

    @Test
    void tp8DecodePaysTheLogitsAllGatherOnTopOfTheLayerAllReduces() {
        OperatorCosts costs = new OperatorCosts(H100, RooflineFactors.builtin().forGpu(H100));
        BatchShape batch = decodes(64);
        RooflineStepTimeModel tp8 = model(8);
        double layerAllReduces = 64 * 2.0 * costs.allReduceUs(64 * 5120 * 2.0, 8);
        double gather = costs.ncclAllGatherUs(7.0 / 8 * 64 * 151_936 * 2, 8);
        assertThat(tp8.logitsAllGatherUs(batch)).isEqualTo(gather);
        assertThat(tp8.allReduceUs(batch)).isCloseTo(layerAllReduces + gather, Offset.offset(1e-9));
        assertThat(gather).isPositive();
        assertThat(model(1).logitsAllGatherUs(batch)).isZero();
        assertThat(model(1).allReduceUs(batch)).isZero();
    }

    @Test
    void theGatherGrowsWithTpAndBatch() {
        assertThat(model(8).logitsAllGatherUs(decodes(128))).isGreaterThan(model(8).logitsAllGatherUs(decodes(8)));
        assertThat(model(8).logitsAllGatherUs(decodes(64))).isGreaterThan(model(2).logitsAllGatherUs(decodes(64)));
        System.out.printf("logits all-gather, Qwen3-32B on H100: tp2 b64 %.1f us, tp8 b8 %.1f us, tp8 b64 %.1f us, tp8 b128 %.1f us%n",
                model(2).logitsAllGatherUs(decodes(64)), model(8).logitsAllGatherUs(decodes(8)),
                model(8).logitsAllGatherUs(decodes(64)), model(8).logitsAllGatherUs(decodes(128)));
    }
}
