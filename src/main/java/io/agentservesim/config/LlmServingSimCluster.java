package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.VllmBatchDefaults;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.perf.parallel.DataParallelModels;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.parallel.Parallelism;
import io.agentservesim.workload.FlatTraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads LLMServingSim's cluster {@code config.json} ({@code num_nodes}, {@code nodes[].instances[]} with
 * {@code model_name}, {@code hardware}, {@code npu_mem.{mem_size, mem_util}}, {@code tp_size}, ...) as the
 * description of one simulation, the way LLMServingSim's own {@code serving} does: the model config comes
 * from {@code <data>/llmservingsim/models/<model_name>.json}, the profile from
 * {@code <data>/llmservingsim/perf/<hardware>/<model_name>/bf16}, engine arguments take vLLM 0.19's defaults
 * unless the instance overrides them ({@code max_num_seqs}, {@code max_num_batched_tokens}, ...), and the
 * workload is given on the command line ({@code --workload}), as LLMServingSim takes {@code --dataset}.
 * <p>
 * Every instance is simulated: instances sharing a {@code dp_group} are the data-parallel ranks of one
 * deployment ({@code ep_size} over the whole group = vLLM's {@code --enable-expert-parallel}), the others one
 * engine each, and requests are spread by LLMServingSim's default router ({@code LOAD}: the least
 * 4 x waiting + running, which is also vLLM's DP balancing). A key this reader does not simulate
 * (prefill/decode roles, offloading, PIM, CXL, the power model) is refused by name; so is any key it does not
 * know. {@code link_bw}, {@code link_latency}, {@code cpu_mem} and {@code npu_mem.mem_bw/mem_latency} are
 * accepted and not used: asim prices the GPU links from its catalog (measured collectives) and a GPU's memory
 * bandwidth from its profile, and no host-memory tier is used without offloading.
 */
final class LlmServingSimCluster {
    private static final Set<String> TOP_KEYS = Set.of("num_nodes", "link_bw", "link_latency", "nodes");
    private static final Set<String> NODE_KEYS = Set.of("num_instances", "cpu_mem", "instances");
    /** Instance keys that are simulated (or, for enable_block_copy, change only LLMServingSim's own trace building). */
    private static final Set<String> INSTANCE_KEYS = Set.of("model_name", "hardware", "npu_mem", "num_npus", "tp_size",
            "pp_size", "ep_size", "dp_group", "pd_type", "max_num_seqs", "max_num_batched_tokens",
            "long_prefill_token_threshold", "block_size", "enable_chunked_prefill", "enable_prefix_caching",
            "reserve_full_isl", "async_scheduling", "enable_block_copy");
    /** LLMServingSim features asim does not simulate: accepted only when off. */
    private static final Set<String> OFF_ONLY = Set.of("enable_local_offloading", "enable_attn_offloading",
            "enable_sub_batch_interleaving");
    private static final Set<String> NPU_MEM_KEYS = Set.of("mem_size", "mem_bw", "mem_latency", "mem_util");

    private LlmServingSimCluster() {
    }

    static boolean looksLikeClusterConfig(Path file, JsonNode tree) {
        return file.toString().endsWith(".json") && tree.has("nodes");
    }

    static ResolvedSimulation resolve(Path file, JsonNode tree, Path dataRoot, Path workload) {
        known(file, tree, TOP_KEYS, "", "cxl_mem and collective_links are not simulated");
        JsonNode nodes = tree.get("nodes");
        if (!nodes.isArray() || nodes.isEmpty()) {
            throw InputException.at(file, "nodes: expected a non-empty list of nodes");
        }
        // The instances in order; those of one dp_group are gathered at the place of the group's first member.
        Map<String, List<Member>> deployments = new LinkedHashMap<>();
        for (int n = 0; n < nodes.size(); n++) {
            JsonNode node = nodes.get(n);
            known(file, node, NODE_KEYS, "nodes[" + n + "].", "the power model and PIM devices are not simulated");
            JsonNode list = node.path("instances");
            if (!list.isArray() || list.isEmpty()) {
                throw InputException.at(file, "nodes[" + n + "].instances: expected a non-empty list of instances");
            }
            if (node.has("num_instances") && node.get("num_instances").asInt(-1) != list.size()) {
                throw InputException.at(file, "nodes[" + n + "].num_instances: " + node.get("num_instances")
                        + " disagrees with the " + list.size() + " instances listed");
            }
            if (node.path("cpu_mem").has("pim_config")) {
                throw InputException.at(file, "nodes[" + n + "].cpu_mem.pim_config: PIM devices are not simulated");
            }
            for (int i = 0; i < list.size(); i++) {
                String at = "nodes[" + n + "].instances[" + i + "]";
                JsonNode inst = list.get(i);
                checkInstanceKeys(file, inst, at);
                JsonNode group = inst.path("dp_group");
                String key = group.isString() ? "dp_group " + group.asString() : at;
                deployments.computeIfAbsent(key, k -> new ArrayList<>()).add(new Member(inst, at));
            }
        }
        if (workload == null) {
            throw InputException.at(file, "an LLMServingSim cluster config names no workload; give --workload FILE");
        }
        List<InstanceSpec> ranks = new ArrayList<>();
        for (List<Member> members : deployments.values()) {
            alike(file, members);
            InstanceSpec spec = instance(file, members.get(0), dataRoot, members.size());
            for (int r = 0; r < members.size(); r++) {
                ranks.add(spec);
            }
        }
        Path trace = workload.toAbsolutePath();
        return ResolvedSimulation.flatWithoutPower(file, ranks, () -> FlatTraceReader.open(trace), trace.toString(),
                0L, true);
    }

    /** One instance of the config, where it was written. */
    private record Member(JsonNode node, String at) {
    }

    /** One deployment: an instance, or the {@code dp} alike ranks of a dp_group described by its first member. */
    private static InstanceSpec instance(Path file, Member m, Path dataRoot, int dp) {
        JsonNode inst = m.node();
        String at = m.at();
        String modelName = text(file, inst, "model_name", at + ".model_name");
        String hardware = text(file, inst, "hardware", at + ".hardware");
        int tp = positive(file, inst, "tp_size", at, 1);
        int pp = positive(file, inst, "pp_size", at, 1);
        if (inst.has("num_npus") && inst.get("num_npus").asInt(-1) != tp * pp) {
            throw InputException.at(file, at + ".num_npus: " + inst.get("num_npus") + " disagrees with tp_size x pp_size = "
                    + tp * pp);
        }
        JsonNode mem = inst.path("npu_mem");
        known(file, mem, NPU_MEM_KEYS, at + ".npu_mem.", "");
        double memGb = mem.path("mem_size").asDouble(Double.NaN);
        double util = mem.path("mem_util").asDouble(0.9);
        if (!(memGb > 0)) {
            throw InputException.at(file, at + ".npu_mem.mem_size: expected the GPU memory in GB");
        }
        if (!(util > 0 && util <= 1)) {
            throw InputException.at(file, at + ".npu_mem.mem_util: expected a fraction in (0, 1], got " + mem.get("mem_util"));
        }
        Path lss = dataRoot.resolve("llmservingsim");
        Path modelJson = lss.resolve("models").resolve(modelName + ".json");
        if (!Files.exists(modelJson)) {
            throw InputException.at(file, at + ".model_name: no model config " + modelJson);
        }
        Path profile = lss.resolve("perf").resolve(hardware).resolve(modelName).resolve("bf16");
        if (!Files.isDirectory(profile)) {
            throw InputException.at(file, at + ".hardware: no profile bundle " + profile + " for " + hardware
                    + " and " + modelName);
        }
        ModelShape model = ModelShape.load(modelJson);
        int maxModelLen = ModelLimits.maxPositionEmbeddings(modelJson);
        int blockSize = positive(file, inst, "block_size", at, 16);
        boolean chunked = flag(file, inst, "enable_chunked_prefill", at, true);
        int blocks = ModelLimits.blocksFromMemory(file, model, memGb * 1e9 / (1L << 30), util, blockSize, tp, dp);
        // Batch limits: the instance's own, else vLLM's defaults for the GPU under `vllm serve`, which
        // LLMServingSim's benchmark drives (the catalog GPU of the hardware name, else a GPU of npu_mem.mem_size).
        String catalogId = ProfileHardware.catalogId(hardware, GpuCatalog.builtin());
        GpuSpec device = catalogId == null ? null : GpuCatalog.builtin().get(catalogId);
        VllmBatchDefaults batch = VllmBatchDefaults.resolve(batchedTokens(file, inst, at, maxModelLen),
                maxNumSeqs(file, inst, at), device != null ? device.memoryBytes() : Math.round(memGb * 1e9),
                device != null ? device.name() : hardware, VllmBatchDefaults.UsageContext.API_SERVER, maxModelLen, chunked);
        int longPrefill = inst.has("long_prefill_token_threshold")
                ? nonNegative(file, inst, "long_prefill_token_threshold", at) : 0;
        EngineConfig engine;
        try {
            engine = new EngineConfig(batch.maxNumBatchedTokens(), batch.maxNumSeqs(), maxModelLen, blockSize, blocks,
                    flag(file, inst, "enable_prefix_caching", at, true), chunked, longPrefill,
                    flag(file, inst, "reserve_full_isl", at, true), flag(file, inst, "async_scheduling", at, true),
                    StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, at + ": " + ex.getMessage());
        }
        int[] capture = StepTimeModels.defaultCaptureSizes(batch.maxNumSeqs());
        // LLMServingSim's ep_size: the EP degree, by default tp_size for an MoE model (1 for a dense one); in a
        // dp_group the degree over the whole group.
        int ep = inst.has("ep_size") ? positive(file, inst, "ep_size", at, 1) : model.isMoe() && dp == 1 ? tp : 1;
        if (ep > 1 && !model.isMoe()) {
            throw InputException.at(file, at + ".ep_size: " + modelName + " has no experts");
        }
        StepTimeModel stepTime;
        DataParallel parallel = DataParallel.NONE;
        if (dp > 1) {
            if (pp > 1) {
                throw InputException.at(file, at + ".pp_size: data parallelism with pipeline parallelism is not"
                        + " simulated");
            }
            if (model.isMoe() && ep != 1 && ep != dp * tp) {
                throw InputException.at(file, at + ".ep_size: " + ep + "; vLLM's expert parallelism spans all " + dp
                        + " x " + tp + " GPUs of the dp_group: expected 1 or " + dp * tp);
            }
            if (model.isMoe() && device == null) {
                throw InputException.at(file, at + ".hardware: \"" + hardware + "\" is not in the GPU catalog; a"
                        + " dp_group of an MoE model needs its GPU links");
            }
            parallel = model.isMoe() ? dataParallel(file, at, () -> DataParallelModels.of(profile, device, model, tp,
                    capture, dp, ep > 1, MoeRouting.Kind.BALANCED, 0.0)) : DataParallel.independent(dp);
        }
        int rankEp = dp > 1 ? 1 : ep;
        if (rankEp != 1 && rankEp != tp) {
            throw InputException.at(file, at + ".ep_size: " + ep + "; without a dp_group asim simulates experts"
                    + " whole over the tp_size GPUs (ep_size = tp_size = " + tp + ") or split by width (ep_size 1)");
        }
        // The bundles emulate TP on one GPU and measure no collective: at TP > 1, EP or PP the collectives and
        // stage sends are priced on the catalog GPU's links (StepTimeModels.forGpu).
        if (tp == 1 && pp == 1) {
            stepTime = StepTimeModels.fromProfile(profile, tp, model, capture);
        } else if (device == null) {
            throw InputException.at(file, at + ".hardware: \"" + hardware + "\" is not in the GPU catalog; tensor"
                    + " and pipeline parallelism need its GPU links to price the collectives");
        } else if (rankEp == 1 && pp == 1) {
            stepTime = StepTimeModels.forGpu(profile, device, model, tp, capture);
        } else {
            Parallelism par = new Parallelism(rankEp, MoeRouting.Kind.BALANCED, 0.0, pp, pp);
            stepTime = dataParallel(file, at, () -> StepTimeModels.forGpu(profile, device, model, tp, capture, par));
        }
        return new InstanceSpec(model, engine, stepTime, tp, InstanceSpec.Role.BOTH, profile.toString(), null, profile,
                parallel, batch.describe());
    }

    /** The keys of one instance: known, and the unsimulated features off. */
    private static void checkInstanceKeys(Path file, JsonNode inst, String at) {
        if (!inst.isObject()) {
            throw InputException.at(file, at + ": expected an object");
        }
        for (String key : inst.propertyNames()) {
            JsonNode v = inst.get(key);
            if (OFF_ONLY.contains(key)) {
                if (v.asBoolean(true)) {
                    throw InputException.at(file, at + "." + key + ": " + v + " is not simulated by asim; set it false");
                }
            } else if (key.equals("dtype") || key.equals("kv_cache_dtype")) {
                // LLMServingSim reads the dtypes from the model config and ignores these; asim simulates bf16.
                String want = key.equals("dtype") ? "bfloat16" : "auto";
                if (!v.isString() || !v.asString().equals(want)) {
                    throw InputException.at(file, at + "." + key + ": " + v + "; asim reads bf16 bundles only: expected \""
                            + want + "\"");
                }
            } else if (!INSTANCE_KEYS.contains(key)) {
                throw InputException.at(file, at + "." + key + ": not simulated by asim (it reads " + sorted(INSTANCE_KEYS)
                        + "; prefill/decode roles, placement, speculative decoding and offloading need a YAML config"
                        + " or are not modelled)");
            }
        }
        JsonNode pd = inst.path("pd_type");
        if (!pd.isMissingNode() && !pd.isNull()) {
            throw InputException.at(file, at + ".pd_type: " + pd + "; prefill/decode disaggregation from an"
                    + " LLMServingSim config is not simulated: use a YAML config with cluster.groups roles prefill and"
                    + " decode and cluster.pd_link");
        }
    }

    /** Several instances of one dp_group must be alike: they are built from one spec. */
    private static void alike(Path file, List<Member> members) {
        JsonNode first = members.get(0).node();
        for (Member m : members) {
            for (String key : INSTANCE_KEYS) {
                if (!m.node().path(key).equals(first.path(key))) {
                    throw InputException.at(file, m.at() + "." + key + ": the ranks of dp_group "
                            + first.path("dp_group").asString() + " must be alike; " + members.get(0).at() + " has "
                            + first.path(key) + ", this one " + m.node().path(key));
                }
            }
        }
    }

    /** LLMServingSim's max_num_batched_tokens: 0 = the model's max_position_embeddings; absent = vLLM's default. */
    private static Integer batchedTokens(Path file, JsonNode inst, String at, int maxModelLen) {
        if (!inst.has("max_num_batched_tokens")) {
            return null;
        }
        int v = nonNegative(file, inst, "max_num_batched_tokens", at);
        return v == 0 ? maxModelLen : v;
    }

    /** max_num_seqs: LLMServingSim's 0 (no limit) has no finite counterpart in a vLLM engine and is refused. */
    private static Integer maxNumSeqs(Path file, JsonNode inst, String at) {
        if (!inst.has("max_num_seqs")) {
            return null;
        }
        int v = nonNegative(file, inst, "max_num_seqs", at);
        if (v == 0) {
            throw InputException.at(file, at + ".max_num_seqs: 0 (no limit) is not simulated; give the engine's"
                    + " max_num_seqs (vLLM's default is 256, or 1024 on GPUs of 70 GiB and more)");
        }
        return v;
    }

    private static void known(Path file, JsonNode n, Set<String> keys, String prefix, String why) {
        if (!n.isObject()) {
            if (!n.isMissingNode()) {
                throw InputException.at(file, (prefix.isEmpty() ? "config" : prefix.substring(0, prefix.length() - 1))
                        + ": expected an object");
            }
            return;
        }
        for (String key : n.propertyNames()) {
            if (!keys.contains(key)) {
                throw InputException.at(file, prefix + key + ": not simulated by asim (expected one of " + sorted(keys)
                        + (why.isEmpty() ? "" : "; " + why) + ")");
            }
        }
    }

    private static String sorted(Set<String> keys) {
        return String.join(", ", new java.util.TreeSet<>(keys));
    }

    private static int positive(Path file, JsonNode inst, String key, String at, int otherwise) {
        if (!inst.has(key)) {
            return otherwise;
        }
        JsonNode v = inst.get(key);
        if (!v.isIntegralNumber() || v.asInt() < 1) {
            throw InputException.at(file, at + "." + key + ": expected an integer >= 1, got " + v);
        }
        return v.asInt();
    }

    private static int nonNegative(Path file, JsonNode inst, String key, String at) {
        JsonNode v = inst.get(key);
        if (!v.isIntegralNumber() || v.asInt() < 0) {
            throw InputException.at(file, at + "." + key + ": expected an integer >= 0, got " + v);
        }
        return v.asInt();
    }

    private static boolean flag(Path file, JsonNode inst, String key, String at, boolean otherwise) {
        if (!inst.has(key)) {
            return otherwise;
        }
        JsonNode v = inst.get(key);
        if (!v.isBoolean()) {
            throw InputException.at(file, at + "." + key + ": expected true or false, got " + v);
        }
        return v.asBoolean();
    }

    private static <T> T dataParallel(Path file, String at, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | InputException ex) {
            String m = ex.getMessage();
            String prefix = file + ": ";
            throw InputException.at(file, at + ": " + (m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : m));
        }
    }

    private static String text(Path file, JsonNode n, String field, String path) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw InputException.at(file, path + ": missing; expected a string");
        }
        return v.asString();
    }
}
