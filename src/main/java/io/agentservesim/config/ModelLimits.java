package io.agentservesim.config;

import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/** Limits of a model on a GPU that vLLM derives at start-up: context length and KV-cache size. */
public final class ModelLimits {
    private static final long GIB = 1L << 30;

    private ModelLimits() {
    }

    public static int maxPositionEmbeddings(Path modelJson) {
        JsonNode n = YamlConfigLoader.readTree(modelJson).get("max_position_embeddings");
        if (n == null || !n.canConvertToInt()) {
            throw InputException.at(modelJson, "max_position_embeddings: missing; set engine.max_model_len instead");
        }
        return n.asInt();
    }

    /**
     * vLLM sizes the KV cache from what is left of the GPU memory budget after the weights: blocks =
     * (memory x gpu_memory_utilization - weights / tp) / bytes per block per GPU. Activation peaks and
     * CUDA-graph memory are not subtracted, so this is an upper bound; give num_gpu_blocks to match a
     * measured engine exactly.
     */
    public static int blocksFromMemory(Path file, ModelShape model, Double memoryGib, double util, int blockSize, int tp) {
        return blocksFromMemory(file, model, memoryGib, util, blockSize, tp, 1);
    }

    /**
     * As above for one of {@code dp} data-parallel ranks: the weights one GPU holds
     * ({@link ModelShape#weightBytesPerGpu}: an MoE model's experts are spread over all dp x tp GPUs).
     */
    public static int blocksFromMemory(Path file, ModelShape model, Double memoryGib, double util, int blockSize, int tp,
                                       int dp) {
        if (memoryGib == null) {
            throw InputException.at(file, "hardware.memory_gib: missing; give the GPU memory or engine.num_gpu_blocks");
        }
        if (!Double.isFinite(memoryGib) || memoryGib <= 0) {
            throw InputException.at(file, "hardware.memory_gib: expected a finite number of GiB > 0, got " + memoryGib);
        }
        if (!(util > 0 && util <= 1)) { // NaN fails this test too
            throw InputException.at(file, "engine.gpu_memory_utilization: expected a value in (0, 1], got " + util);
        }
        double weights = dp == 1 ? (double) model.weightBytes() / tp : model.weightBytesPerGpu(tp, dp);
        double budget = memoryGib * GIB * util - weights;
        double perBlock = (double) model.kvBytesPerBlock(blockSize) / tp;
        long blocks = (long) Math.floor(budget / perBlock);
        if (blocks < 2) {
            throw InputException.at(file, String.format(java.util.Locale.ROOT,
                    "hardware.memory_gib: %.1f GiB x %.2f cannot hold the %.1f GiB of weights of %s on %d GPU(s) plus a KV cache",
                    memoryGib, util, model.weightBytes() / (double) GIB, model.name(), tp * dp));
        }
        return (int) Math.min(Integer.MAX_VALUE, blocks);
    }
}
