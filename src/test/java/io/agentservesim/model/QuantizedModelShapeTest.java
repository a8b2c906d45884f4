package io.agentservesim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.config.ModelLimits;
import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quantized weights and an FP8 KV cache in the model shape: bytes per weight and per KV element, and the
 * KV pool they leave, by hand for Llama-3.1-70B (80 layers, hidden 8192, 64 query / 8 KV heads of 128,
 * MLP 28672, vocabulary 128256, untied LM head).
 */
class QuantizedModelShapeTest {
    private static final Path BF16 = Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-70B.json");
    private static final Path FP8 = Path.of("data/models/meta-llama/Llama-3.1-70B-Instruct-FP8.json");
    private static final Path NVFP4 = Path.of("data/models/meta-llama/Llama-3.1-70B-Instruct-NVFP4.json");
    /** 80 × (8192·8192 + 2·8192·1024 + 8192·8192 + 3·8192·28672): QKV, O, gate-up-down. */
    private static final long LINEAR = 68_451_041_280L;
    /** 2 × 128256·8192 (embedding, LM head) + 80 × 2 × 8192 (norms) + 8192 (final norm). */
    private static final long REST = 2_102_665_216L;

    @TempDir
    Path tmp;

    @Test
    void fp8WeightsTakeOneBytePerLinearWeightAndTheRestStaysBf16() {
        ModelShape bf16 = ModelShape.load(BF16);
        ModelShape fp8 = ModelShape.load(FP8);
        assertThat(bf16.linearParamCount()).isEqualTo(LINEAR);
        assertThat(bf16.paramCount()).isEqualTo(LINEAR + REST);
        assertThat(bf16.weightBytes()).isEqualTo(141_107_412_992L);
        assertThat(fp8.weights().name()).isEqualTo("fp8");
        assertThat(fp8.weights().compute()).isEqualTo(WeightFormat.TensorRate.FP8);
        assertThat(fp8.weightBytes()).isEqualTo(LINEAR + 2 * REST).isEqualTo(72_656_371_712L);
        assertThat(fp8.kvBytesPerToken()).isEqualTo(bf16.kvBytesPerToken()).isEqualTo(327_680L);
    }

    @Test
    void nvfp4StoresHalfAByteAndAnFp8ScalePerSixteenWeights() {
        ModelShape fp4 = ModelShape.load(NVFP4);
        assertThat(fp4.weights().bytesPerWeight()).isEqualTo(0.5625);
        assertThat(fp4.weights().compute()).isEqualTo(WeightFormat.TensorRate.FP4);
        assertThat(fp4.weightBytes()).isEqualTo(38_503_710_720L + 2 * REST).isEqualTo(42_709_041_152L);
    }

    @Test
    void fp8KvCacheHalvesKvBytesAndDoublesTheBlocksOfTheSamePool() {
        ModelShape fp8 = ModelShape.load(FP8);
        ModelShape kv8 = fp8.withKvCacheDtype("fp8");
        assertThat(kv8.kvBytes()).isEqualTo(1);
        assertThat(kv8.kvBytesPerToken()).isEqualTo(2L * 80 * 8 * 128).isEqualTo(163_840L);
        assertThat(kv8.kvBytesPerBlock(16)).isEqualTo(2_621_440L);
        assertThat(kv8.weightBytes()).isEqualTo(fp8.weightBytes());
        // TP4 H100 at 79.2 GiB x 0.9: (79.2 GiB x 0.9 - weights / 4) / (KV per block / 4), by hand.
        assertThat(ModelLimits.blocksFromMemory(FP8, ModelShape.load(BF16), 79.2, 0.9, 16, 4)).isEqualTo(31_478);
        assertThat(ModelLimits.blocksFromMemory(FP8, fp8, 79.2, 0.9, 16, 4)).isEqualTo(44_534);
        assertThat(ModelLimits.blocksFromMemory(FP8, kv8, 79.2, 0.9, 16, 4)).isEqualTo(89_068);
        assertThat(fp8.withKvCacheDtype("auto").kvBytes()).isEqualTo(2);
        assertThatThrownBy(() -> fp8.withKvCacheDtype("int8")).hasMessageContaining("kv_cache_dtype")
                .hasMessageContaining("fp8_e4m3");
    }

    @Test
    void readsEachQuantizationConfigFormat() throws IOException {
        assertThat(load("{\"quant_method\":\"fp8\",\"activation_scheme\":\"dynamic\",\"weight_block_size\":[128,128]}")
                .weights()).isEqualTo(WeightFormat.FP8_BLOCK);
        assertThat(load("{\"quant_method\":\"fp8\",\"activation_scheme\":\"static\"}").weights()).isEqualTo(WeightFormat.FP8);
        WeightFormat awq = load("{\"quant_method\":\"awq\",\"bits\":4,\"group_size\":128,\"zero_point\":true}").weights();
        assertThat(awq.name()).isEqualTo("w4a16");
        assertThat(awq.bytesPerWeight()).isEqualTo(0.5 + 2.5 / 128);
        assertThat(awq.compute()).isEqualTo(WeightFormat.TensorRate.BF16);
        assertThat(load("{\"quant_method\":\"gptq\",\"bits\":4,\"group_size\":32}").weights().bytesPerWeight())
                .isEqualTo(0.5 + 2.5 / 32);
        assertThat(load("{\"quant_method\":\"compressed-tensors\",\"config_groups\":{\"group_0\":{\"weights\":"
                + "{\"num_bits\":4,\"type\":\"int\",\"strategy\":\"group\",\"group_size\":128},\"input_activations\":null}}}")
                .weights()).isEqualTo(WeightFormat.w4a16(128));
        assertThat(load("{\"quant_method\":\"compressed-tensors\",\"config_groups\":{\"group_0\":{\"weights\":"
                + "{\"num_bits\":8,\"type\":\"float\",\"strategy\":\"block\"},\"input_activations\":{\"num_bits\":8,"
                + "\"type\":\"float\",\"dynamic\":true}}}}").weights()).isEqualTo(WeightFormat.FP8_BLOCK);
        assertThat(load("{\"quant_method\":\"modelopt\",\"quant_algo\":\"FP8\"}").weights()).isEqualTo(WeightFormat.FP8);
    }

    @Test
    void refusesQuantizationItDoesNotModelByName() throws IOException {
        assertThatThrownBy(() -> load("{\"quant_method\":\"bitsandbytes\"}")).isInstanceOf(InputException.class)
                .hasMessageContaining("quantization_config.quant_method: expected fp8, compressed-tensors, modelopt, awq or gptq")
                .hasMessageContaining("bitsandbytes");
        assertThatThrownBy(() -> load("{\"quant_method\":\"gptq\",\"bits\":8,\"group_size\":128}"))
                .isInstanceOf(InputException.class).hasMessageContaining("quantization_config.bits: expected 4");
        assertThatThrownBy(() -> load("{\"quant_method\":\"compressed-tensors\",\"config_groups\":{\"g\":{\"weights\":"
                + "{\"num_bits\":8,\"type\":\"int\"},\"input_activations\":{\"num_bits\":8,\"type\":\"int\"}}}}"))
                .isInstanceOf(InputException.class).hasMessageContaining("num_bits 8, type int");
    }

    private ModelShape load(String quantizationConfig) throws IOException {
        String base = Files.readString(BF16);
        String json = base.substring(0, base.lastIndexOf('}')) + ",\"quantization_config\":" + quantizationConfig + "}";
        Path f = tmp.resolve("config.json");
        Files.writeString(f, json);
        return ModelShape.load(f);
    }
}
