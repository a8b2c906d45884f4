package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.workload.FlatTraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * Reads LLMServingSim's cluster {@code config.json} ({@code num_nodes}, {@code nodes[].instances[]} with
 * {@code model_name}, {@code hardware}, {@code npu_mem.{mem_size, mem_util}}, {@code tp_size}) as the
 * description of one simulation, the way LLMServingSim's own {@code main.py} does: the model config
 * comes from {@code <data>/llmservingsim/models/<model_name>.json}, the profile from
 * {@code <data>/llmservingsim/perf/<hardware>/<model_name>/bf16}, engine arguments take vLLM 0.19's
 * defaults and the workload is given on the command line ({@code --workload}), as LLMServingSim takes
 * {@code --dataset}. This engine simulates one instance; a cluster of several is refused by name.
 */
final class LlmServingSimCluster {
    private LlmServingSimCluster() {
    }

    static boolean looksLikeClusterConfig(Path file, JsonNode tree) {
        return file.toString().endsWith(".json") && tree.has("nodes");
    }

    static ResolvedSimulation resolve(Path file, JsonNode tree, Path dataRoot, Path workload) {
        JsonNode nodes = tree.get("nodes");
        if (!nodes.isArray() || nodes.isEmpty()) {
            throw InputException.at(file, "nodes: expected a non-empty list of nodes");
        }
        int instances = 0;
        for (JsonNode n : nodes) {
            instances += n.path("instances").size();
        }
        if (instances != 1) {
            throw InputException.at(file, "nodes[].instances: this engine simulates one instance, the file has "
                    + instances + "; describe one instance");
        }
        JsonNode inst = nodes.get(0).path("instances").get(0);
        String modelName = text(file, inst, "model_name", "nodes[0].instances[0].model_name");
        String hardware = text(file, inst, "hardware", "nodes[0].instances[0].hardware");
        int tp = inst.path("tp_size").asInt(1);
        JsonNode mem = inst.path("npu_mem");
        double memGb = mem.path("mem_size").asDouble(Double.NaN);
        double util = mem.path("mem_util").asDouble(0.9);
        if (!(memGb > 0)) {
            throw InputException.at(file, "nodes[0].instances[0].npu_mem.mem_size: expected the GPU memory in GB");
        }
        if (workload == null) {
            throw InputException.at(file, "an LLMServingSim cluster config names no workload; give --workload FILE");
        }
        Path lss = dataRoot.resolve("llmservingsim");
        Path modelJson = lss.resolve("models").resolve(modelName + ".json");
        if (!Files.exists(modelJson)) {
            throw InputException.at(file, "nodes[0].instances[0].model_name: no model config " + modelJson);
        }
        Path profile = lss.resolve("perf").resolve(hardware).resolve(modelName).resolve("bf16");
        if (!Files.isDirectory(profile)) {
            throw InputException.at(file, "nodes[0].instances[0].hardware: no profile bundle " + profile
                    + " for " + hardware + " and " + modelName);
        }
        ModelShape model = ModelShape.load(modelJson);
        int blocks = ModelLimits.blocksFromMemory(file, model, memGb * 1e9 / (1L << 30), util, 16, tp);
        EngineConfig engine = new EngineConfig(2048, 256, ModelLimits.maxPositionEmbeddings(modelJson), 16, blocks,
                true, true, 0, true, true, StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
        StepTimeModel stepTime = StepTimeModels.fromProfile(profile, tp, model, StepTimeModels.defaultCaptureSizes(256));
        Path trace = workload.toAbsolutePath();
        InstanceSpec instance = new InstanceSpec(model, engine, stepTime, tp, InstanceSpec.Role.BOTH,
                profile.toString(), null, profile);
        return ResolvedSimulation.flatWithoutPower(file, instance, () -> FlatTraceReader.open(trace), trace.toString(),
                0L, true);
    }

    private static String text(Path file, JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw InputException.at(file, path + ": missing; expected a string");
        }
        return v.asString();
    }
}
