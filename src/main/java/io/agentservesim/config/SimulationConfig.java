package io.agentservesim.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * One simulation, as written in its YAML file over {@code reference.yaml}. Paths are as written;
 * {@link ResolvedSimulation} resolves them against the file's folder.
 */
public record SimulationConfig(
        @JsonProperty("model") String model,
        @JsonProperty("hardware") Hardware hardware,
        @JsonProperty("engine") Engine engine,
        @JsonProperty("parallel") Parallel parallel,
        @JsonProperty("moe") Moe moe,
        @JsonProperty("workload") Workload workload,
        @JsonProperty("programs") Programs programs,
        @JsonProperty("world") World world,
        @JsonProperty("tools") JsonNode tools,
        @JsonProperty("cluster") Cluster cluster,
        @JsonProperty("kv") Kv kv,
        @JsonProperty("scheduling") Scheduling scheduling,
        @JsonProperty("seed") long seed,
        @JsonProperty("outputs") Outputs outputs,
        @JsonProperty("power") Power power,
        @JsonProperty("slo") Slo slo,
        @JsonProperty("lora") JsonNode lora) {

    /** Agent runs: the targets SLO attainment is measured against; null = not set. */
    public record Slo(
            @JsonProperty("ttft_ms") Double ttftMs,
            @JsonProperty("tpot_ms") Double tpotMs,
            @JsonProperty("jct_s") Double jctS) {
    }

    public record Power(
            @JsonProperty("enabled") boolean enabled,
            @JsonProperty("gpu") String gpu,
            @JsonProperty("gpus_per_instance") Integer gpusPerInstance,
            @JsonProperty("host_cpu_w") double hostCpuW,
            @JsonProperty("dram_pj_per_bit") double dramPjPerBit,
            @JsonProperty("link_pj_per_bit") double linkPjPerBit) {
    }

    public record Programs(
            @JsonProperty("trace") String trace,
            @JsonProperty("format") String format,
            @JsonProperty("synthetic") JsonNode synthetic,
            @JsonProperty("closed_loop_agents") int closedLoopAgents,
            @JsonProperty("on_unservable") String onUnservable) {
    }

    /** A multi-agent simulation: a world trace or a generator spec (io.agentservesim.world.WorldSpec). */
    public record World(
            @JsonProperty("trace") String trace,
            @JsonProperty("synthetic") JsonNode synthetic,
            @JsonProperty("step_overhead_s") double stepOverheadS,
            @JsonProperty("on_unservable") String onUnservable) {
    }

    public record Cluster(
            @JsonProperty("instances") int instances,
            @JsonProperty("router") String router,
            @JsonProperty("affinity_pressure_limit") double affinityPressureLimit,
            @JsonProperty("capacity_limit") int capacityLimit,
            @JsonProperty("groups") JsonNode groups,
            @JsonProperty("decode_router") String decodeRouter,
            @JsonProperty("pd_link") PdLink pdLink) {
    }

    /** The link prefill instances send KV to decode instances over (one per decode instance). */
    public record PdLink(
            @JsonProperty("bandwidth_gb_per_s") double bandwidthGbPerS,
            @JsonProperty("latency_us") double latencyUs) {
    }

    public record Kv(
            @JsonProperty("retention") String retention,
            @JsonProperty("ttl_s") double ttlS,
            @JsonProperty("continuum_threshold_s") double continuumThresholdS,
            @JsonProperty("default_gap_s") double defaultGapS,
            @JsonProperty("host_tier") HostTierConfig hostTier,
            @JsonProperty("cxl_tier") HostTierConfig cxlTier,
            @JsonProperty("invocation_distance") InvocationDistance invocationDistance,
            @JsonProperty("settings") JsonNode settings) {
    }

    /** Settings of the invocation-distance retention policy (residency.InvocationDistanceOptions). */
    public record InvocationDistance(
            @JsonProperty("evict_pri_level") int evictPriLevel,
            @JsonProperty("load_ahead_step") int loadAheadStep,
            @JsonProperty("priority_eviction") boolean priorityEviction,
            @JsonProperty("prefetch") boolean prefetch,
            @JsonProperty("kv") boolean kv,
            @JsonProperty("adapters") boolean adapters) {
    }

    public record HostTierConfig(
            @JsonProperty("capacity_gib") double capacityGib,
            @JsonProperty("bandwidth_gb_per_s") double bandwidthGbPerS,
            @JsonProperty("latency_us") double latencyUs) {
    }

    public record Scheduling(@JsonProperty("policy") String policy, @JsonProperty("settings") JsonNode settings) {
    }

    public record Hardware(
            @JsonProperty("profile") String profile,
            @JsonProperty("memory_gib") Double memoryGib,
            @JsonProperty("host_overhead_us") Double hostOverheadUs,
            @JsonProperty("gpu") String gpu,
            @JsonProperty("gpu_p2p") Boolean gpuP2p,
            @JsonProperty("step_times") String stepTimes) {
    }

    public record Engine(
            @JsonProperty("tensor_parallel_size") int tensorParallelSize,
            @JsonProperty("max_num_batched_tokens") Integer maxNumBatchedTokens,
            @JsonProperty("max_num_seqs") Integer maxNumSeqs,
            @JsonProperty("usage_context") String usageContext,
            @JsonProperty("max_model_len") Integer maxModelLen,
            @JsonProperty("block_size") int blockSize,
            @JsonProperty("gpu_memory_utilization") double gpuMemoryUtilization,
            @JsonProperty("num_gpu_blocks") Integer numGpuBlocks,
            @JsonProperty("enable_prefix_caching") boolean enablePrefixCaching,
            @JsonProperty("enable_chunked_prefill") boolean enableChunkedPrefill,
            @JsonProperty("long_prefill_token_threshold") int longPrefillTokenThreshold,
            @JsonProperty("scheduler_reserve_full_isl") boolean schedulerReserveFullIsl,
            @JsonProperty("async_scheduling") boolean asyncScheduling,
            @JsonProperty("enforce_eager") boolean enforceEager,
            @JsonProperty("cudagraph_capture_sizes") int[] cudagraphCaptureSizes,
            @JsonProperty("expert_parallel_size") int expertParallelSize,
            @JsonProperty("pipeline_parallel_size") int pipelineParallelSize,
            @JsonProperty("pipeline_micro_batches") Integer pipelineMicroBatches,
            @JsonProperty("kv_cache_dtype") String kvCacheDtype) {
    }

    /**
     * vLLM's data parallelism: {@code data_parallel_size} engine cores (ranks) behind one front end, each
     * with its own scheduler, KV cache and tensor_parallel_size GPUs; {@code enable_expert_parallel} spreads
     * an MoE model's experts whole over all data_parallel_size x tensor_parallel_size GPUs.
     */
    public record Parallel(
            @JsonProperty("data_parallel_size") int dataParallelSize,
            @JsonProperty("enable_expert_parallel") boolean enableExpertParallel) {
    }

    public record Moe(
            @JsonProperty("routing") String routing,
            @JsonProperty("zipf_s") double zipfS) {
    }

    public record Workload(
            @JsonProperty("trace") String trace,
            @JsonProperty("synthetic") JsonNode synthetic) {
    }

    public record Outputs(
            @JsonProperty("itl") boolean itl,
            @JsonProperty("timeseries_interval_s") double timeseriesIntervalS,
            @JsonProperty("decisions") boolean decisions) {
    }
}
