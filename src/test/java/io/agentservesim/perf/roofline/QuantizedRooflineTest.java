package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.model.WeightFormat;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModels;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quantized weights and an FP8 KV cache on the roofline: weight bytes, KV bytes and tensor rates, by hand. */
class QuantizedRooflineTest {
    /** 1 GB/s, so one byte takes one nanosecond; FLOP/s so high that every op is memory-bound. */
    private static final GpuSpec TOY_GPU = new GpuSpec("toy", "Toy GPU", 1e18, 2e18, 1L << 30, 1e9, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
    /** 1 layer, hidden 4, 2 heads, 1 KV head, head dim 2, MLP 8, vocab 16, bf16. */
    private static final ModelShape TOY_MODEL = new ModelShape("toy", 1, 4, 2, 1, 2, 8, 16, 0, 0, 0, 2, false);
    /** Full bandwidth; overheads per GEMM 100 ns, elementwise and sampler 10, attention 50, decode wave 7. */
    private static final RooflineEfficiency UNIT = new RooflineEfficiency(1, 0, 1, 100, 1, 10, 1, 1, 1, 50, 7, 1, 10, 1, 1, 0, 1, 1, 1);
    private static final GpuCatalog CATALOG = GpuCatalog.builtin();

    /**
     * RooflineStepTimeModelTest's toy decode (1 sequence over 3 cached tokens, 1041 + 394 ns in bf16) with
     * FP8 linear weights: each linear layer reads its k·n weights at 1 byte, input and output at 2:
     * qkv 32 + 24 = 56, o_proj 16 + 16 = 32, gate_up 64 + 40 = 104, down 32 + 24 = 56, each + 100;
     * the layer's other ops unchanged (52 + 34 + 58 + 105), the LM head stays bf16 (394 once):
     * 156 + 132 + 204 + 156 + 249 = 897, + 394 = 1291.
     */
    @Test
    void fp8WeightsHalveTheWeightReadsOfTheLinearLayersOnly() {
        BatchShape batch = new BatchShape();
        batch.addDecode(3);
        RooflineStepTimeModel bf16 = new RooflineStepTimeModel(TOY_GPU, TOY_MODEL, 1, UNIT);
        RooflineStepTimeModel fp8 = new RooflineStepTimeModel(TOY_GPU, TOY_MODEL.withWeights(WeightFormat.FP8), 1, UNIT);
        assertThat(bf16.stepTimeNs(batch)).isEqualTo(1041 + 394);
        assertThat(fp8.stepTimeNs(batch)).isEqualTo(897 + 394);
        assertThat(fp8.source()).isEqualTo("roofline:toy/toy/tp1/fp8");
    }

    /** An FP8 KV cache: the toy's decode attention reads 4 tokens × 4 B of KV instead of × 8 B (-16 ns). */
    @Test
    void fp8KvCacheHalvesTheAttentionsKvReads() {
        BatchShape batch = new BatchShape();
        batch.addDecode(3);
        RooflineStepTimeModel kv8 = new RooflineStepTimeModel(TOY_GPU, TOY_MODEL.withKvCacheDtype("fp8"), 1, UNIT);
        assertThat(kv8.stepTimeNs(batch)).isEqualTo(1041 - 16 + 394);
        assertThat(kv8.source()).endsWith("/kv-8bit");
    }

    /** The catalog's FP8 / FP4 rates over BF16; 1 where the GPU lacks the rate (weight-only kernels). */
    @Test
    void tensorRatesComeFromTheCatalog() {
        OperatorCosts h100 = new OperatorCosts(CATALOG.get("h100_sxm"), RooflineFactors.builtin().forGpu(CATALOG.get("h100_sxm")));
        OperatorCosts b200 = new OperatorCosts(CATALOG.get("b200_sxm"), RooflineFactors.builtin().forGpu(CATALOG.get("b200_sxm")));
        OperatorCosts a100 = new OperatorCosts(CATALOG.get("a100_sxm"), RooflineFactors.builtin().forGpu(CATALOG.get("a100_sxm")));
        assertThat(h100.tensorSpeedup(WeightFormat.TensorRate.FP8)).isEqualTo(1978.0 / 989.0);
        assertThat(h100.tensorSpeedup(WeightFormat.TensorRate.FP4)).isEqualTo(1.0);
        assertThat(b200.tensorSpeedup(WeightFormat.TensorRate.FP4)).isEqualTo(9000.0 / 2250.0);
        assertThat(a100.tensorSpeedup(WeightFormat.TensorRate.FP8)).isEqualTo(1.0);
        assertThat(CATALOG.get("gb200").fp4DenseFlops()).isEqualTo(10000.0e12);
        assertThat(CATALOG.get("b300_sxm").fp4DenseFlops()).isEqualTo(14000.0e12);
        assertThat(CATALOG.get("gb300").computeCapability()).hasToString("10.3");
    }

    /** A compute-bound 8192³ GEMM on H100: FP8 takes half the BF16 compute time (1978 / 989 TFLOP/s). */
    @Test
    void computeBoundFp8GemmRunsAtTwiceTheBf16Rate() {
        GpuSpec gpu = CATALOG.get("h100_sxm");
        RooflineEfficiency eff = RooflineFactors.builtin().forGpu(gpu);
        OperatorCosts c = new OperatorCosts(gpu, eff);
        double overhead = eff.gemmOverheadNs() * 1e-3;
        double bf16 = c.gemmUs(8192, 8192, 8192, 2) - overhead;
        double fp8 = c.gemmUs(8192, 8192, 8192, 1.0, 2, c.tensorSpeedup(WeightFormat.TensorRate.FP8)) - overhead;
        assertThat(fp8 / bf16).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void bf16MeasurementsRefuseQuantizedModels() {
        ModelShape fp8 = ModelShape.load(Path.of("data/models/meta-llama/Llama-3.1-70B-Instruct-FP8.json"));
        assertThatThrownBy(() -> StepTimeModels.bundleOnly(
                Path.of("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16"), 1, fp8, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("fp8 weights of Llama-3.1-70B-Instruct-FP8 cannot be priced from a profile bundle");
        assertThatThrownBy(() -> StepTimeModels.kernelTables(CATALOG.get("h100_sxm"), fp8, 4, null))
                .isInstanceOf(InputException.class).hasMessageContaining("kernel tables");
    }
}
