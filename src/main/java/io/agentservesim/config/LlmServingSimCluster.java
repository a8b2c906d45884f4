package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.VllmBatchDefaults;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.perf.parallel.DataParallelModels;
import io.agentservesim.perf.parallel.MoeRouting;
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
 * {@code --dataset}. It simulates one instance, or the instances of one {@code dp_group} as the
 * data-parallel ranks of one deployment ({@code ep_size} over the whole group = vLLM's
 * {@code --enable-expert-parallel}); other clusters of several instances are refused by name.
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
        JsonNode inst = nodes.get(0).path("instances").get(0);
        int dp = instances == 1 ? 1 : dataParallelGroup(file, nodes, inst, instances);
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
        int blocks = ModelLimits.blocksFromMemory(file, model, memGb * 1e9 / (1L << 30), util, 16, tp, dp);
        // LLMServingSim's configs hold no batch limits: vLLM's defaults for the GPU under `vllm serve`, which its
        // benchmark drives (the catalog GPU of the hardware name, else a GPU of npu_mem.mem_size).
        String catalogId = ProfileHardware.catalogId(hardware, GpuCatalog.builtin());
        GpuSpec device = catalogId == null ? null : GpuCatalog.builtin().get(catalogId);
        int maxModelLen = ModelLimits.maxPositionEmbeddings(modelJson);
        VllmBatchDefaults batch = VllmBatchDefaults.resolve(null, null,
                device != null ? device.memoryBytes() : Math.round(memGb * 1e9), device != null ? device.name() : hardware,
                VllmBatchDefaults.UsageContext.API_SERVER, maxModelLen, true);
        EngineConfig engine = new EngineConfig(batch.maxNumBatchedTokens(), batch.maxNumSeqs(), maxModelLen, 16, blocks,
                true, true, 0, true, true, StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
        int[] capture = StepTimeModels.defaultCaptureSizes(batch.maxNumSeqs());
        // The bundles emulate TP on one GPU and measure no collective: at TP > 1 the all-reduces are priced on
        // the catalog GPU's links (StepTimeModels.forGpu), so TP on hardware outside the catalog is refused.
        if (tp > 1 && device == null) {
            throw InputException.at(file, "nodes[0].instances[0].hardware: \"" + hardware + "\" is not in the GPU"
                    + " catalog; tensor parallelism needs its GPU links to price the all-reduces");
        }
        StepTimeModel stepTime = tp == 1 ? StepTimeModels.fromProfile(profile, tp, model, capture)
                : StepTimeModels.forGpu(profile, device, model, tp, capture);
        DataParallel parallel = DataParallel.NONE;
        if (dp > 1) {
            int ep = inst.path("ep_size").asInt(1);
            if (model.isMoe() && ep != 1 && ep != dp * tp) {
                throw InputException.at(file, "nodes[].instances[].ep_size: " + ep + "; vLLM's expert parallelism"
                        + " spans all " + dp + " x " + tp + " GPUs of the dp_group: expected 1 or " + dp * tp);
            }
            String id = ProfileHardware.catalogId(hardware, GpuCatalog.builtin());
            if (model.isMoe() && id == null) {
                throw InputException.at(file, "nodes[0].instances[0].hardware: \"" + hardware + "\" is not in the GPU"
                        + " catalog; a dp_group of an MoE model needs its GPU links");
            }
            parallel = model.isMoe() ? DataParallelModels.of(profile, GpuCatalog.builtin().get(id), model, tp, capture, dp,
                    ep > 1, MoeRouting.Kind.BALANCED, 0.0) : DataParallel.independent(dp);
        }
        Path trace = workload.toAbsolutePath();
        InstanceSpec instance = new InstanceSpec(model, engine, stepTime, tp, InstanceSpec.Role.BOTH,
                profile.toString(), null, profile, parallel, batch.describe(), 1);
        return ResolvedSimulation.flatWithoutPower(file, instance, () -> FlatTraceReader.open(trace), trace.toString(),
                0L, true);
    }

    /**
     * Several instances are simulated only as the ranks of one data-parallel deployment (LLMServingSim's
     * {@code dp_group}: all instances in one group, alike); returns their number.
     */
    private static int dataParallelGroup(Path file, JsonNode nodes, JsonNode first, int instances) {
        JsonNode group = first.path("dp_group");
        for (JsonNode n : nodes) {
            for (JsonNode inst : n.path("instances")) {
                if (!group.isString() || !inst.path("dp_group").equals(group)) {
                    throw InputException.at(file, "nodes[].instances: " + instances + " instances are simulated only"
                            + " as one data-parallel group (every instance with the same dp_group); describe one"
                            + " instance or one dp_group");
                }
                for (String key : new String[] {"model_name", "hardware", "tp_size", "ep_size", "npu_mem", "pp_size"}) {
                    if (!inst.path(key).equals(first.path(key))) {
                        throw InputException.at(file, "nodes[].instances[]." + key + ": the ranks of dp_group "
                                + group.asString() + " must be alike; instance 0 has " + first.path(key)
                                + ", another " + inst.path(key));
                    }
                }
            }
        }
        if (first.path("pp_size").asInt(1) > 1) {
            throw InputException.at(file, "nodes[].instances[].pp_size: data parallelism with pipeline parallelism is"
                    + " not simulated");
        }
        return instances;
    }

    private static String text(Path file, JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw InputException.at(file, path + ": missing; expected a string");
        }
        return v.asString();
    }
}
