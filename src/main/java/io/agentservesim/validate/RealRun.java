package io.agentservesim.validate;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real vLLM serving run in LLMServingSim's bench layout: {@code config.json} (cluster config),
 * {@code vllm/meta.json} (engine arguments and, when recorded, the resolved configuration and the real
 * KV block count), {@code vllm/requests.jsonl} (per-request timestamps) and optionally
 * {@code validation/summary.txt} (the rows to report, with LLMServingSim's own error).
 * Settings the run did not record take vLLM 0.19's defaults ({@code max_num_batched_tokens} and
 * {@code max_num_seqs}: vLLM's per-GPU resolved defaults, {@link #batch}). Data parallelism comes from the engine
 * arguments ({@code data_parallel_size}, {@code enable_expert_parallel}), else the resolved
 * {@code parallel_config}, else the cluster config (instances sharing instance 0's {@code dp_group}, whose
 * {@code ep_size} is the expert-parallel degree over the whole group).
 */
public record RealRun(
        Path dir,
        int tensorParallelSize,
        int dataParallelSize,
        boolean enableExpertParallel,
        Integer maxNumSeqs,
        Integer maxNumBatchedTokens,
        long deviceMemoryBytes,
        String deviceName,
        Integer maxModelLen,
        Integer numGpuBlocks,
        double memoryGib,
        double gpuMemoryUtilization,
        int blockSize,
        boolean enablePrefixCaching,
        boolean enableChunkedPrefill,
        int longPrefillTokenThreshold,
        boolean reserveFullIsl,
        boolean asyncScheduling,
        boolean enforceEager,
        int[] cudagraphCaptureSizes,
        LatencySamples measured,
        List<SummaryRow> summaryRows,
        String kvCacheDtype) {

    /** One row of validation/summary.txt: metric label and LLMServingSim's Diff% (NaN if absent). */
    public record SummaryRow(String label, LatencySamples.Metric metric, String stat, double llmServingSimDiffPct) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public static RealRun load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw InputException.at(dir, "not a folder; expected a real-run folder with config.json and vllm/");
        }
        Path meta = dir.resolve("vllm/meta.json");
        JsonNode m = readJson(meta);
        JsonNode kwargs = require(meta, m, "engine_kwargs");
        JsonNode resolved = m.path("resolved_config");
        JsonNode sched = resolved.path("scheduler_config");
        JsonNode cache = resolved.path("cache_config");
        JsonNode kv = m.path("kv_cache");

        Path clusterFile = dir.resolve("config.json");
        JsonNode cluster = readJson(clusterFile);
        JsonNode instance = cluster.path("nodes").path(0).path("instances").path(0);
        if (instance.isMissingNode()) {
            throw InputException.at(clusterFile, "nodes[0].instances[0]: missing; expected an LLMServingSim cluster config");
        }
        int tp = kwargs.path("tensor_parallel_size").asInt(instance.path("tp_size").asInt(1));
        JsonNode parallel = resolved.path("parallel_config");
        int groupSize = dpGroupSize(cluster, instance);
        int dp = kwargs.path("data_parallel_size").asInt(parallel.path("data_parallel_size").asInt(groupSize));
        if (dp < 1) {
            throw InputException.at(meta, "engine_kwargs.data_parallel_size: expected >= 1, got " + dp);
        }
        boolean ep = kwargs.path("enable_expert_parallel").asBoolean(parallel.path("enable_expert_parallel")
                .asBoolean(groupSize > 1 && instance.path("ep_size").asInt(1) > 1));

        Device device = device(m.path("hardware"), instance);
        Integer numGpuBlocks = intOrNull(kv.path("num_gpu_blocks"));
        if (numGpuBlocks == null) {
            numGpuBlocks = intOrNull(cache.path("num_gpu_blocks"));
        }
        int[] capture = null;
        JsonNode sizes = resolved.path("compilation_config").path("cudagraph_capture_sizes");
        if (sizes.isArray()) {
            capture = new int[sizes.size()];
            for (int i = 0; i < capture.length; i++) {
                capture[i] = sizes.get(i).asInt();
            }
        }
        return new RealRun(dir, tp, dp, ep,
                recorded(kwargs.path("max_num_seqs"), sched.path("max_num_seqs")),
                recorded(kwargs.path("max_num_batched_tokens"), sched.path("max_num_batched_tokens")),
                device.memoryBytes(), device.name(),
                intOrNull(kwargs.path("max_model_len")),
                numGpuBlocks,
                instance.path("npu_mem").path("mem_size").asDouble(0),
                cache.path("gpu_memory_utilization").asDouble(kv.path("gpu_memory_utilization").asDouble(0.9)),
                cache.path("block_size").asInt(kv.path("block_size").asInt(16)),
                cache.path("enable_prefix_caching").asBoolean(kv.path("enable_prefix_caching").asBoolean(true)),
                sched.path("enable_chunked_prefill").asBoolean(true),
                sched.path("long_prefill_token_threshold").asInt(0),
                sched.path("scheduler_reserve_full_isl").asBoolean(true),
                sched.path("async_scheduling").asBoolean(true),
                resolved.path("model_config").path("enforce_eager").asBoolean(false),
                capture,
                readRequests(dir.resolve("vllm/requests.jsonl")),
                readSummaryRows(dir.resolve("validation/summary.txt")),
                kwargs.path("kv_cache_dtype").isString() ? kwargs.path("kv_cache_dtype").asString() : "auto");
    }

    /** {@code model} with the KV-cache dtype the run used ({@code engine_kwargs.kv_cache_dtype}, default auto). */
    public io.agentservesim.model.ModelShape withRunKvCache(io.agentservesim.model.ModelShape model) {
        try {
            return model.withKvCacheDtype(kvCacheDtype);
        } catch (IllegalArgumentException e) {
            throw InputException.at(dir.resolve("vllm/meta.json"), "engine_kwargs." + e.getMessage());
        }
    }

    /**
     * {@code max_num_seqs} and {@code max_num_batched_tokens} as the run resolved them ({@code engine_kwargs},
     * else the resolved {@code scheduler_config}), or null when the run recorded neither (then
     * {@link #batch} takes vLLM's default for the run's GPU).
     */
    private static Integer recorded(JsonNode kwarg, JsonNode resolved) {
        return kwarg.isNumber() ? Integer.valueOf(kwarg.asInt()) : resolved.isNumber() ? Integer.valueOf(resolved.asInt()) : null;
    }

    /** The GPU vLLM saw: meta.json's {@code hardware} when recorded, else the catalog GPU of config.json's hardware. */
    private record Device(long memoryBytes, String name) {
    }

    private static Device device(JsonNode hw, JsonNode instance) {
        if (hw.path("device_total_memory_bytes").isNumber() && hw.path("device_name").isString()) {
            return new Device(hw.path("device_total_memory_bytes").asLong(), hw.path("device_name").asString());
        }
        String name = instance.path("hardware").asString("");
        io.agentservesim.hardware.GpuCatalog catalog = io.agentservesim.hardware.GpuCatalog.builtin();
        String id = io.agentservesim.hardware.ProfileHardware.catalogId(name, catalog);
        if (id != null) {
            return new Device(catalog.get(id).memoryBytes(), catalog.get(id).name());
        }
        return new Device(Math.round(instance.path("npu_mem").path("mem_size").asDouble(0) * 1e9), name);
    }

    /**
     * The run's batch limits: as recorded, or vLLM's defaults for the run's GPU under the API server
     * (LLMServingSim's bench runs drive {@code vllm serve}) for what it did not record.
     */
    public io.agentservesim.engine.VllmBatchDefaults batch(int maxModelLen) {
        return batchDefaults(maxModelLen);
    }

    /**
     * The run's {@code max_num_seqs} as vLLM resolved it. It does not depend on {@code max_model_len}: that
     * only caps the token budget at {@code max_num_seqs x max_model_len}, never below {@code max_num_seqs}.
     */
    public int resolvedMaxNumSeqs() {
        return batchDefaults(Integer.MAX_VALUE).maxNumSeqs();
    }

    private io.agentservesim.engine.VllmBatchDefaults batchDefaults(int maxModelLen) {
        return io.agentservesim.engine.VllmBatchDefaults.resolve(maxNumBatchedTokens, maxNumSeqs, deviceMemoryBytes,
                deviceName, io.agentservesim.engine.VllmBatchDefaults.UsageContext.API_SERVER, maxModelLen,
                enableChunkedPrefill);
    }

    /** Instances of the cluster config in instance 0's {@code dp_group} (1 when it names none). */
    private static int dpGroupSize(JsonNode cluster, JsonNode first) {
        JsonNode group = first.path("dp_group");
        if (!group.isString()) {
            return 1;
        }
        int n = 0;
        for (JsonNode node : cluster.path("nodes")) {
            for (JsonNode inst : node.path("instances")) {
                n += inst.path("dp_group").isString() && inst.path("dp_group").asString().equals(group.asString()) ? 1 : 0;
            }
        }
        return Math.max(1, n);
    }

    private static Integer intOrNull(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.asInt();
    }

    private static JsonNode require(Path file, JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isObject()) {
            throw InputException.at(file, field + ": missing; expected an object");
        }
        return n;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        } catch (JacksonException e) {
            throw InputException.at(file, JacksonInputErrors.message(e));
        }
    }

    /**
     * Latencies as LLMServingSim's validator derives them from vLLM's RequestStateStats: the lifecycle
     * timestamps are monotonic seconds while arrival_time is epoch seconds, so queued_ts is the arrival.
     */
    static LatencySamples readRequests(Path file) {
        LatencySamples samples = new LatencySamples();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode r;
                try {
                    r = JSON.readTree(line);
                } catch (JacksonException e) {
                    throw InputException.at(file, lineNo, "malformed JSON: " + JacksonInputErrors.message(e));
                }
                double queued = number(file, lineNo, r, "queued_ts");
                double first = number(file, lineNo, r, "first_token_ts");
                double last = number(file, lineNo, r, "last_token_ts");
                int out = (int) number(file, lineNo, r, "output_toks");
                double tpot = out > 1 ? (last - first) / (out - 1) * 1e3 : 0;
                samples.add((first - queued) * 1e3, tpot, out > 1, (last - queued) * 1e3);
            }
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
        if (samples.size() == 0) {
            throw InputException.at(file, "no requests; expected one JSON object per line");
        }
        return samples;
    }

    private static double number(Path file, long line, JsonNode r, String field) {
        JsonNode n = r.get(field);
        if (n == null || !n.isNumber()) {
            throw InputException.at(file, line, field + ": missing or not a number");
        }
        return n.asDouble();
    }

    /** The metric rows of summary.txt ("TTFT Mean", "TPOT P99", ...); the standard 15 when absent. */
    static List<SummaryRow> readSummaryRows(Path file) {
        List<SummaryRow> rows = new ArrayList<>();
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] tok = line.trim().split("\\s+");
                    if (tok.length < 2) {
                        continue;
                    }
                    LatencySamples.Metric metric = switch (tok[0]) {
                        case "TTFT" -> LatencySamples.Metric.TTFT;
                        case "TPOT" -> LatencySamples.Metric.TPOT;
                        case "Latency" -> LatencySamples.Metric.LATENCY;
                        default -> null;
                    };
                    String stat = statOf(tok[1]);
                    if (metric == null || stat == null) {
                        continue;
                    }
                    double diff = Double.NaN;
                    String last = tok[tok.length - 1];
                    if (tok.length >= 5 && last.endsWith("%")) {
                        diff = Double.parseDouble(last.substring(0, last.length() - 1));
                    }
                    rows.add(new SummaryRow(tok[0] + " " + tok[1], metric, stat, diff));
                }
            } catch (IOException e) {
                throw InputException.at(file, "cannot read: " + e.getMessage());
            } catch (NumberFormatException e) {
                throw InputException.at(file, "malformed Diff% column: " + e.getMessage());
            }
        }
        if (rows.isEmpty()) {
            for (LatencySamples.Metric metric : LatencySamples.Metric.values()) {
                String name = metric == LatencySamples.Metric.LATENCY ? "Latency" : metric.name();
                for (String s : new String[] {"Mean", "Median", "P90", "P95", "P99"}) {
                    rows.add(new SummaryRow(name + " " + s, metric, statOf(s), Double.NaN));
                }
            }
        }
        return rows;
    }

    private static String statOf(String label) {
        String s = label.toLowerCase(Locale.ROOT);
        if (s.equals("mean") || s.equals("median")) {
            return s;
        }
        return s.matches("p\\d+(\\.\\d+)?") ? s : null;
    }
}
