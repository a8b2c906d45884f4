package io.agentservesim.model;

import io.agentservesim.error.InputException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads the weight format of a Hugging Face {@code config.json}'s {@code quantization_config}, the block
 * vLLM reads to pick its quantization method ({@code vllm/model_executor/layers/quantization/}):
 * <ul>
 *   <li>{@code quant_method: fp8}: FP8 weights, per-tensor scales, or 128 x 128 blocks when
 *       {@code weight_block_size} is given (DeepSeek-V3, Qwen3-*-FP8);</li>
 *   <li>{@code quant_method: compressed-tensors} (llm-compressor): the first config group's {@code weights}
 *       ({@code num_bits}, {@code type}, {@code strategy}, {@code group_size}); without
 *       {@code input_activations} the scheme is weight-only and its GEMMs run at the BF16 rate;</li>
 *   <li>{@code quant_method: modelopt} (NVIDIA ModelOpt): {@code quant_algo} FP8 or NVFP4 (also nested in
 *       {@code quantization});</li>
 *   <li>{@code quant_method: awq} / {@code gptq} (and their {@code _marlin} names): 4-bit integer weights,
 *       {@code bits} and {@code group_size}.</li>
 * </ul>
 * Anything else (INT8 W8A8, bitsandbytes, GGUF, MXFP4, 8-bit GPTQ, ...) is refused naming the key and what
 * is accepted, rather than simulated as bf16.
 */
final class QuantizationConfig {
    private QuantizationConfig() {
    }

    static WeightFormat read(Path file, JsonNode q, int dtypeBytes) {
        if (q == null || q.isNull()) {
            return WeightFormat.unquantized(dtypeBytes);
        }
        if (!q.isObject()) {
            throw InputException.at(file, "quantization_config: expected an object, got " + q);
        }
        String method = text(q, "quant_method");
        if (method == null) {
            throw InputException.at(file, "quantization_config.quant_method: required key is missing");
        }
        return switch (method.toLowerCase(Locale.ROOT)) {
            case "fp8" -> present(q, "weight_block_size") ? WeightFormat.FP8_BLOCK : WeightFormat.FP8;
            case "compressed-tensors" -> compressedTensors(file, q);
            case "modelopt", "modelopt_fp4" -> modelOpt(file, q);
            case "awq", "awq_marlin", "gptq", "gptq_marlin" -> intWeightOnly(file, q);
            default -> throw InputException.at(file, "quantization_config.quant_method: expected fp8, compressed-tensors,"
                    + " modelopt, awq or gptq, got \"" + method + "\"");
        };
    }

    private static WeightFormat compressedTensors(Path file, JsonNode q) {
        JsonNode groups = q.get("config_groups");
        if (groups == null || !groups.isObject() || groups.isEmpty()) {
            throw InputException.at(file, "quantization_config.config_groups: expected a map of quantization groups");
        }
        Iterator<JsonNode> it = groups.values().iterator();
        JsonNode group = it.next();
        JsonNode w = group.get("weights");
        String at = "quantization_config.config_groups.*.weights";
        if (w == null || !w.isObject()) {
            throw InputException.at(file, at + ": expected an object (num_bits, type, strategy)");
        }
        int bits = w.path("num_bits").asInt(0);
        String type = text(w, "type");
        String strategy = text(w, "strategy");
        JsonNode act = group.get("input_activations");
        boolean weightOnly = act == null || act.isNull();
        if (bits == 8 && "float".equals(type)) {
            WeightFormat f = "block".equals(strategy) ? WeightFormat.FP8_BLOCK : WeightFormat.FP8;
            return weightOnly ? new WeightFormat(f.name() + "_w8a16", f.bytesPerWeight(), WeightFormat.TensorRate.BF16) : f;
        }
        if (bits == 4 && "float".equals(type)) {
            return weightOnly ? new WeightFormat("nvfp4_w4a16", WeightFormat.NVFP4.bytesPerWeight(),
                    WeightFormat.TensorRate.BF16) : WeightFormat.NVFP4;
        }
        if (bits == 4 && "int".equals(type) && weightOnly) {
            int groupSize = w.path("group_size").asInt(128);
            return WeightFormat.w4a16(groupSize > 0 ? groupSize : 128);
        }
        throw InputException.at(file, at + ": expected FP8 (num_bits 8, type float), NVFP4 (4, float) or W4A16"
                + " (4, int, no input_activations), got num_bits " + bits + ", type " + type
                + (weightOnly ? ", weight-only" : ", quantized activations"));
    }

    private static WeightFormat modelOpt(Path file, JsonNode q) {
        JsonNode inner = q.has("quantization") ? q.get("quantization") : q;
        String algo = text(inner, "quant_algo");
        if (algo == null) {
            throw InputException.at(file, "quantization_config.quant_algo: required for quant_method modelopt");
        }
        return switch (algo.toUpperCase(Locale.ROOT)) {
            case "FP8", "FP8_PER_CHANNEL_PER_TOKEN" -> WeightFormat.FP8;
            case "FP8_PB_WO", "FP8_BLOCK" -> WeightFormat.FP8_BLOCK;
            case "NVFP4" -> WeightFormat.NVFP4;
            default -> throw InputException.at(file, "quantization_config.quant_algo: expected FP8 or NVFP4, got \""
                    + algo + "\"");
        };
    }

    private static WeightFormat intWeightOnly(Path file, JsonNode q) {
        int bits = q.has("bits") ? q.path("bits").asInt(0) : q.path("w_bit").asInt(0);
        if (bits != 4) {
            throw InputException.at(file, "quantization_config.bits: expected 4 (AWQ/GPTQ W4A16), got " + bits);
        }
        int group = q.has("group_size") ? q.path("group_size").asInt(128) : q.path("q_group_size").asInt(128);
        // group_size -1 is per output channel: one scale per column, negligible beside the weights.
        return group > 0 ? WeightFormat.w4a16(group) : new WeightFormat("w4a16", 0.5, WeightFormat.TensorRate.BF16);
    }

    private static boolean present(JsonNode q, String key) {
        JsonNode n = q.get(key);
        return n != null && !n.isNull();
    }

    private static String text(JsonNode q, String key) {
        JsonNode n = q.get(key);
        return n != null && n.isString() ? n.asString() : null;
    }
}
