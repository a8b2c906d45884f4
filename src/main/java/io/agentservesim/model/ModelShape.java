package io.agentservesim.model;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.io.IOException;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The architecture numbers of a decoder-only transformer that decide its memory footprint: weight
 * bytes (how much HBM is left for the KV cache) and KV bytes per token (how many tokens fit in it).
 * Read from a Hugging Face {@code config.json} so that any model can be simulated without a
 * per-model table.
 *
 * @param name model name ({@code _name_or_path}, else the config file name without {@code .json})
 * @param numLayers decoder layers ({@code num_hidden_layers})
 * @param hiddenSize model width ({@code hidden_size})
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads KV heads (GQA); equals {@code numAttentionHeads} for plain MHA
 * @param headDim width of one head
 * @param intermediateSize dense MLP width
 * @param vocabSize vocabulary size
 * @param numExperts routed experts per layer, 0 for a dense model
 * @param expertsPerToken experts each token is routed to, 0 for a dense model
 * @param moeIntermediateSize MLP width of one expert
 * @param dtypeBytes bytes per activation element, and per weight and KV element unless quantized
 * @param tieWordEmbeddings whether the LM head shares the embedding matrix
 * @param weights how the linear layers' weights are stored ({@link WeightFormat}; Hugging Face
 *        {@code quantization_config}), the activation dtype when unquantized
 * @param kvBytes bytes per KV-cache element: {@code dtypeBytes}, or 1 for vLLM's {@code kv_cache_dtype: fp8}
 */
public record ModelShape(
        String name,
        int numLayers,
        int hiddenSize,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        int numExperts,
        int expertsPerToken,
        int moeIntermediateSize,
        int dtypeBytes,
        boolean tieWordEmbeddings,
        WeightFormat weights,
        int kvBytes) {

    private static final JsonMapper MAPPER = io.agentservesim.error.StrictJackson.json();

    public ModelShape {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        requirePositive("numLayers", numLayers);
        requirePositive("hiddenSize", hiddenSize);
        requirePositive("numAttentionHeads", numAttentionHeads);
        requirePositive("numKeyValueHeads", numKeyValueHeads);
        requirePositive("headDim", headDim);
        requirePositive("intermediateSize", intermediateSize);
        requirePositive("vocabSize", vocabSize);
        requirePositive("dtypeBytes", dtypeBytes);
        requirePositive("kvBytes", kvBytes);
        if (weights == null) {
            throw new IllegalArgumentException("weights must not be null");
        }
        if (numExperts < 0 || expertsPerToken < 0 || expertsPerToken > numExperts) {
            throw new IllegalArgumentException("need 0 <= expertsPerToken <= numExperts, got "
                    + expertsPerToken + " of " + numExperts);
        }
        if (numExperts > 0 && (expertsPerToken == 0 || moeIntermediateSize <= 0)) {
            throw new IllegalArgumentException("an MoE model needs expertsPerToken > 0 and moeIntermediateSize > 0");
        }
    }

    /** An unquantized model: weights and KV cache in the activation dtype. */
    public ModelShape(String name, int numLayers, int hiddenSize, int numAttentionHeads, int numKeyValueHeads,
            int headDim, int intermediateSize, int vocabSize, int numExperts, int expertsPerToken,
            int moeIntermediateSize, int dtypeBytes, boolean tieWordEmbeddings) {
        this(name, numLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize, vocabSize,
                numExperts, expertsPerToken, moeIntermediateSize, dtypeBytes, tieWordEmbeddings,
                WeightFormat.unquantized(dtypeBytes), dtypeBytes);
    }

    /**
     * The same model with its KV cache in {@code kvCacheDtype}, vLLM's {@code --kv-cache-dtype}: {@code auto}
     * keeps the activation dtype (vLLM's default, whatever the checkpoint's quantization), {@code fp8},
     * {@code fp8_e4m3} and {@code fp8_e5m2} store one byte per element, {@code bfloat16} / {@code float16}
     * two. Anything else is refused by name.
     */
    public ModelShape withKvCacheDtype(String kvCacheDtype) {
        int bytes = switch (kvCacheDtype == null ? "auto" : kvCacheDtype) {
            case "auto" -> dtypeBytes;
            case "fp8", "fp8_e4m3", "fp8_e5m2" -> 1;
            case "bfloat16", "float16", "half" -> 2;
            default -> throw new IllegalArgumentException("kv_cache_dtype: expected auto, fp8, fp8_e4m3, fp8_e5m2,"
                    + " bfloat16 or float16, got \"" + kvCacheDtype + "\"");
        };
        return new ModelShape(name, numLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                intermediateSize, vocabSize, numExperts, expertsPerToken, moeIntermediateSize, dtypeBytes,
                tieWordEmbeddings, weights, bytes);
    }

    /** The same model with its linear weights stored as {@code format}. */
    public ModelShape withWeights(WeightFormat format) {
        return new ModelShape(name, numLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim,
                intermediateSize, vocabSize, numExperts, expertsPerToken, moeIntermediateSize, dtypeBytes,
                tieWordEmbeddings, format, kvBytes);
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }

    /** Reads a Hugging Face {@code config.json}; unknown keys are ignored, missing or mistyped ones reported. */
    public static ModelShape load(Path configJson) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.newInputStream(configJson));
        } catch (NoSuchFileException e) {
            throw InputException.at(configJson, "model config not found");
        } catch (IOException e) {
            throw InputException.at(configJson, "cannot read model config: " + e.getMessage());
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(configJson, e);
        }
        if (root == null || !root.isObject()) {
            throw InputException.at(configJson, "expected a JSON object (a Hugging Face config.json)");
        }
        return new HfConfigFields(configJson, root).toShape();
    }

    /** The same shape with {@code layers} decoder layers (a pipeline stage, or one layer for per-layer ratios). */
    public ModelShape withLayers(int layers) {
        return new ModelShape(name, layers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize,
                vocabSize, numExperts, expertsPerToken, moeIntermediateSize, dtypeBytes, tieWordEmbeddings, weights,
                kvBytes);
    }

    public boolean isMoe() {
        return numExperts > 0;
    }

    /** K and V for every layer: 2 × layers × kvHeads × headDim × kvBytes. */
    public long kvBytesPerToken() {
        return 2L * numLayers * numKeyValueHeads * headDim * kvBytes;
    }

    /** KV bytes of one paged-attention block holding {@code blockSize} tokens. */
    public long kvBytesPerBlock(int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive, got " + blockSize);
        }
        return kvBytesPerToken() * blockSize;
    }

    /** Weight count from the shape; biases and per-head q/k norms are left out (well under 0.1 %). */
    public long paramCount() {
        long hidden = hiddenSize;
        long embedding = (long) vocabSize * hidden;
        long lmHead = tieWordEmbeddings ? 0 : embedding;
        long qWidth = (long) numAttentionHeads * headDim;
        long kvWidth = (long) numKeyValueHeads * headDim;
        long attention = hidden * qWidth + 2 * hidden * kvWidth + qWidth * hidden;
        long mlp = isMoe()
                ? (long) numExperts * 3 * hidden * moeIntermediateSize + hidden * numExperts
                : 3 * hidden * intermediateSize;
        long norms = 2 * hidden;
        return embedding + lmHead + numLayers * (attention + mlp + norms) + hidden;
    }

    /**
     * Weights of the linear layers a quantized checkpoint stores in {@link #weights()}: the attention
     * projections and the MLP or routed experts of every layer (not embeddings, LM head, norms, router).
     */
    public long linearParamCount() {
        long hidden = hiddenSize;
        long qWidth = (long) numAttentionHeads * headDim;
        long kvWidth = (long) numKeyValueHeads * headDim;
        long attention = hidden * qWidth + 2 * hidden * kvWidth + qWidth * hidden;
        long mlp = isMoe() ? (long) numExperts * 3 * hidden * moeIntermediateSize : 3 * hidden * intermediateSize;
        return numLayers * (attention + mlp);
    }

    /** Bytes of all weights: the linear layers at {@link WeightFormat#bytesPerWeight()}, the rest at {@link #dtypeBytes()}. */
    public long weightBytes() {
        long linear = linearParamCount();
        return Math.round(linear * weights.bytesPerWeight()) + (paramCount() - linear) * dtypeBytes;
    }

    /** Bytes per weight of the linear layers (GEMM weight reads). */
    public double linearWeightBytes() {
        return weights.bytesPerWeight();
    }

    /** Bytes of the routed experts' weights (gate, up and down of every expert of every layer); 0 when dense. */
    public long expertWeightBytes() {
        return isMoe()
                ? Math.round((double) numLayers * numExperts * 3L * hiddenSize * moeIntermediateSize * weights.bytesPerWeight())
                : 0L;
    }

    /**
     * Weight bytes one GPU holds when the model runs at tensor parallelism {@code tp} on each of {@code dp}
     * data-parallel ranks: everything but the experts split over TP; the experts over all dp x tp GPUs
     * (whole experts under expert parallelism, each expert's width otherwise: vLLM flattens TP across DP
     * for the MoE layers either way). A dense model's ranks each hold weights / tp.
     */
    public double weightBytesPerGpu(int tp, int dp) {
        double experts = expertWeightBytes();
        return (weightBytes() - experts) / tp + experts / ((double) tp * dp);
    }

    /**
     * The same shape with {@code experts} routed experts per layer (at least the experts per token): one
     * GPU's share of the experts, for the checks that a shard fits its GPU.
     */
    public ModelShape withExperts(int experts) {
        if (!isMoe()) {
            return this;
        }
        return new ModelShape(name, numLayers, hiddenSize, numAttentionHeads, numKeyValueHeads, headDim, intermediateSize,
                vocabSize, Math.max(expertsPerToken, experts), expertsPerToken, moeIntermediateSize, dtypeBytes,
                tieWordEmbeddings, weights, kvBytes);
    }

    /** The keys of one config file, each read with the file name and key in any error. */
    private static final class HfConfigFields {
        private final Path file;
        private final JsonNode root;

        HfConfigFields(Path file, JsonNode root) {
            this.file = file;
            this.root = root;
        }

        ModelShape toShape() {
            int layers = requiredPositiveInt("num_hidden_layers");
            int hidden = requiredPositiveInt("hidden_size");
            int heads = requiredPositiveInt("num_attention_heads");
            int kvHeads = optionalPositiveInt("num_key_value_heads", heads);
            if (heads % kvHeads != 0) {
                throw InputException.at(file, "num_key_value_heads: expected a divisor of num_attention_heads ("
                        + heads + "), got " + kvHeads);
            }
            int headDim;
            if (present("head_dim")) {
                headDim = requiredPositiveInt("head_dim");
            } else if (hidden % heads != 0) {
                throw InputException.at(file, "head_dim: missing and hidden_size (" + hidden
                        + ") is not a multiple of num_attention_heads (" + heads + ")");
            } else {
                headDim = hidden / heads;
            }
            int intermediate = requiredPositiveInt("intermediate_size");
            int vocab = requiredPositiveInt("vocab_size");
            int experts = 0;
            for (String key : new String[] {"num_local_experts", "num_experts", "n_routed_experts"}) {
                if (present(key)) {
                    experts = nonNegativeInt(key);
                    break;
                }
            }
            int perToken = 0;
            int moeIntermediate = intermediate;
            if (experts > 0) {
                perToken = requiredPositiveInt("num_experts_per_tok");
                if (perToken > experts) {
                    throw InputException.at(file, "num_experts_per_tok: expected at most the expert count ("
                            + experts + "), got " + perToken);
                }
                moeIntermediate = optionalPositiveInt("moe_intermediate_size", intermediate);
            }
            int dtype = dtypeBytes();
            WeightFormat weights = QuantizationConfig.read(file, root.get("quantization_config"), dtype);
            return new ModelShape(name(), layers, hidden, heads, kvHeads, headDim, intermediate, vocab,
                    experts, perToken, moeIntermediate, dtype, tied(), weights, dtype);
        }

        private String name() {
            JsonNode node = root.get("_name_or_path");
            if (node != null && node.isString() && !node.asString().isBlank()) {
                return node.asString();
            }
            String fileName = file.getFileName().toString();
            return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        }

        private int dtypeBytes() {
            String key = present("torch_dtype") ? "torch_dtype" : present("dtype") ? "dtype" : null;
            if (key == null) {
                return 2;
            }
            JsonNode node = root.get(key);
            if (!node.isString()) {
                throw InputException.at(file, key + ": expected a dtype string such as \"bfloat16\", got " + node);
            }
            return switch (node.asString().toLowerCase(Locale.ROOT)) {
                case "bfloat16", "float16", "half" -> 2;
                case "float32", "float" -> 4;
                default -> throw InputException.at(file, key + ": expected bfloat16, float16 or float32, got \""
                        + node.asString() + "\"");
            };
        }

        private boolean tied() {
            JsonNode node = root.get("tie_word_embeddings");
            if (node == null || node.isNull()) {
                return false;
            }
            if (!node.isBoolean()) {
                throw InputException.at(file, "tie_word_embeddings: expected true or false, got " + node);
            }
            return node.booleanValue();
        }

        private boolean present(String key) {
            JsonNode node = root.get(key);
            return node != null && !node.isNull();
        }

        private int requiredPositiveInt(String key) {
            if (!present(key)) {
                throw InputException.at(file, key + ": required key is missing (expected a positive integer)");
            }
            int value = nonNegativeInt(key);
            if (value == 0) {
                throw InputException.at(file, key + ": expected a positive integer, got 0");
            }
            return value;
        }

        private int optionalPositiveInt(String key, int fallback) {
            return present(key) ? requiredPositiveInt(key) : fallback;
        }

        private int nonNegativeInt(String key) {
            JsonNode node = root.get(key);
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 0) {
                throw InputException.at(file, key + ": expected a non-negative integer, got " + node);
            }
            return node.intValue();
        }
    }
}
