package io.agentservesim.estimate;

import io.agentservesim.config.ModelLimits;
import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.VllmBatchDefaults;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.engine.Request;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.results.TurnLatency;
import io.agentservesim.workload.RequestSpec;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One engine under the client of {@code vllm bench serve --dataset-name random --request-rate inf
 * --max-concurrency C --num-prompts N --random-input-len I --random-output-len O --random-range-ratio R
 * --ignore-eos} ({@code vllm/benchmarks/serve.py}), which is also how AIConfigurator's benchmark scripts
 * measure a concurrency point. That client is not C independent loops: it builds a list of N requests
 * up front, and with an infinite request rate creates one task per request at once, each gated by an
 * {@code asyncio.Semaphore(C)}; request {@code i} is issued the moment a slot frees, so the first C leave
 * at t = 0 and every later one leaves when some earlier one returns its last token ({@link
 * SemaphoreClient}).
 *
 * <p>Lengths are drawn as vLLM's random dataset draws them: input uniformly from
 * {@code [floor(I (1 - R)), ceil(I (1 + R))]}, output likewise from O (ignore_eos, so every request
 * emits exactly its drawn length), from a seeded generator; R = 0 (vLLM's default) gives exact lengths.
 * With varying lengths the requests finish at different steps, so after the first round the arrivals
 * spread over time and later prefills share steps with other requests' decodes, as on a real server.
 * With exact lengths and a first round that fits one step, the simulated rounds stay in step (a real
 * server breaks that symmetry with per-request API-server work this engine does not model).
 *
 * <p>Metrics are serve.py's: mean TTFT over all N requests (first token - issue, queueing included),
 * mean TPOT over requests with more than one output token ((last - first token) / (output - 1)), and
 * output tokens/s = all output tokens / benchmark duration (first issue to last completion). serve.py's
 * single test prompt runs before the clock starts and is not simulated; {@code --num-warmups} defaults to
 * 0, so the first burst is part of the means, as in the real benchmark. Engine settings are vLLM 0.19's
 * serving defaults ({@code vllm/engine/arg_utils.py}, OpenAI server on a GPU, {@link VllmBatchDefaults}):
 * max_num_batched_tokens 8192 and max_num_seqs 1024 on GPUs with at least 70 GiB that are not A100, 2048
 * and 256 on the others; chunked prefill, prefix caching, async scheduling, gpu_memory_utilization 0.9,
 * block size 16, CUDA graphs with the default capture sizes. The KV pool comes from
 * {@link ModelLimits#blocksFromMemory} with the catalog GPU's memory.
 */
public final class ClosedLoopEstimate {
    /** serve.py's default {@code --num-prompts}. */
    public static final int DEFAULT_NUM_PROMPTS = 1000;
    private static final double GPU_MEMORY_UTILIZATION = 0.9;
    private static final int BLOCK_SIZE = 16;

    /** How the benchmark client drives the server: N requests, at most C in flight, lengths drawn with range ratio R. */
    public record Client(int concurrency, int numPrompts, double rangeRatio, long seed) {
        public String describe() {
            return String.format(Locale.ROOT,
                    "vllm bench serve: %d prompts, request rate inf, max concurrency %d, random range ratio %s, seed %d",
                    numPrompts, concurrency, rangeRatio, seed);
        }
    }

    /** The result, and the engine and client settings it ran with. */
    public record Result(double ttftMs, double tpotMs, double outputTokS, int numGpuBlocks, int maxNumBatchedTokens,
                         int maxNumSeqs, String stepTimeSource, String batchLimits, int tp, boolean chunkedPrefill,
                         String client, long mixedSteps) {
        /** The same result, saying where its batch limits came from (printed under the table) and its TP. */
        public Result withSettings(String origin, int tensorParallel) {
            return new Result(ttftMs, tpotMs, outputTokS, numGpuBlocks, maxNumBatchedTokens, maxNumSeqs, stepTimeSource,
                    origin, tensorParallel, chunkedPrefill, client, mixedSteps);
        }

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{%n  \"ttft_ms\": %.4f,%n  \"tpot_ms\": %.4f,%n  \"output_tok_s\": %.3f,%n  \"engine\": {%n"
                            + "    \"tensor_parallel_size\": %d,%n    \"max_num_batched_tokens\": %d,%n    \"max_num_seqs\": %d,%n"
                            + "    \"batch_limits\": \"%s\",%n    \"enable_chunked_prefill\": %s,%n    \"num_gpu_blocks\": %d,%n"
                            + "    \"step_time_source\": \"%s\"%n  },%n  \"client\": \"%s\",%n  \"mixed_steps\": %d%n}%n",
                    ttftMs, tpotMs, outputTokS, tp, maxNumBatchedTokens, maxNumSeqs, batchLimits, chunkedPrefill,
                    numGpuBlocks, stepTimeSource, client, mixedSteps);
        }

        public String toTable() {
            return String.format(Locale.ROOT, "TTFT mean       %10.2f ms%nTPOT mean       %10.3f ms%n"
                            + "output tokens/s %10.1f%n"
                            + "engine: tensor_parallel_size %d, max_num_batched_tokens %d, max_num_seqs %d, chunked prefill %s,"
                            + " KV blocks %d%n"
                            + "batch limits: %s%nstep times: %s%nclient: %s (%d steps mixed a prefill with decodes)%n",
                    ttftMs, tpotMs, outputTokS, tp, maxNumBatchedTokens, maxNumSeqs, chunkedPrefill ? "on" : "off",
                    numGpuBlocks, batchLimits, stepTimeSource, client, mixedSteps);
        }
    }

    private ClosedLoopEstimate() {
    }

    /** {@link #run(GpuSpec, Path, int, int, int, Client, Path)} with serve.py's defaults: 1000 prompts, exact lengths. */
    public static Result run(GpuSpec gpu, Path modelConfig, int tp, int isl, int osl, int concurrency, Path profileDir) {
        return run(gpu, modelConfig, tp, isl, osl, new Client(concurrency, DEFAULT_NUM_PROMPTS, 0.0, 0L), profileDir);
    }

    /**
     * Runs the estimate with the step times of {@link StepTimeModels#forGpu} (the bundle's profile where
     * {@code profileDir} is given and covers the case, the roofline elsewhere).
     */
    public static Result run(GpuSpec gpu, Path modelConfig, int tp, int isl, int osl, Client client, Path profileDir) {
        return run(gpu, modelConfig, tp, isl, osl, client, profileDir, "auto");
    }

    /**
     * The same with the KV cache in {@code kvCacheDtype} (vLLM's {@code --kv-cache-dtype}: auto or fp8);
     * quantized weights come from the model config's {@code quantization_config}.
     */
    public static Result run(GpuSpec gpu, Path modelConfig, int tp, int isl, int osl, Client client, Path profileDir,
            String kvCacheDtype) {
        ModelShape model;
        try {
            model = ModelShape.load(modelConfig).withKvCacheDtype(kvCacheDtype);
        } catch (IllegalArgumentException e) {
            throw new InputException("--kv-cache-dtype: " + e.getMessage().replace("kv_cache_dtype: ", ""));
        }
        String where = "estimate " + gpu.id() + " / " + model.name() + " / tp" + tp;
        if (isl < 1 || osl < 1 || client.concurrency() < 1 || tp < 1 || client.numPrompts() < 1) {
            throw new InputException(where + ": --isl, --osl, --concurrency, --num-prompts and --tp must be >= 1");
        }
        if (!(client.rangeRatio() >= 0.0 && client.rangeRatio() < 1.0)) {
            throw new InputException(where + ": --random-range-ratio must be in [0, 1), got " + client.rangeRatio());
        }
        if (model.numAttentionHeads() % tp != 0) {
            throw new InputException(where + ": --tp " + tp + " does not divide the " + model.numAttentionHeads()
                    + " attention heads of " + model.name());
        }
        String tooMany = io.agentservesim.engine.SimulatorMemory.liveRequestsProblem(client.concurrency(), (long) isl + osl, BLOCK_SIZE);
        if (tooMany != null) {
            throw new InputException(where + ": --concurrency: " + tooMany);
        }
        double memoryGib = gpu.memoryBytes() / (double) (1L << 30);
        double weightsPerGpu = (double) model.weightBytes() / tp;
        if (weightsPerGpu >= gpu.memoryBytes() * GPU_MEMORY_UTILIZATION) {
            throw new InputException(String.format(Locale.ROOT,
                    "%s: model does not fit: %.1f GiB of weights per GPU > %.0f %% of the %.1f GiB of %s; raise --tp",
                    where, weightsPerGpu / (1L << 30), GPU_MEMORY_UTILIZATION * 100, memoryGib, gpu.id()));
        }
        int blocks = ModelLimits.blocksFromMemory(modelConfig, model, memoryGib, GPU_MEMORY_UTILIZATION, BLOCK_SIZE, tp);
        int maxModelLen = LengthSampler.upper(isl, client.rangeRatio()) + LengthSampler.upper(osl, client.rangeRatio());
        int needed = (maxModelLen + BLOCK_SIZE - 1) / BLOCK_SIZE;
        if (needed > blocks) {
            throw new InputException(String.format(Locale.ROOT,
                    "%s: one request of %d tokens needs %d KV blocks but only %d fit next to the weights; lower --isl/--osl or raise --tp",
                    where, maxModelLen, needed, blocks));
        }
        // vLLM caps a defaulted token budget at max_num_seqs x max_model_len, where max_model_len is the model's
        // context window (far above isl + osl), so the cap never binds here: no max_model_len is passed.
        VllmBatchDefaults batch = VllmBatchDefaults.resolve(null, null, gpu.memoryBytes(), gpu.name(),
                VllmBatchDefaults.UsageContext.API_SERVER, Integer.MAX_VALUE, true);
        EngineConfig engine = new EngineConfig(batch.maxNumBatchedTokens(), batch.maxNumSeqs(), maxModelLen, BLOCK_SIZE, blocks, true, true, 0,
                true, true, StepTimeModels.DEFAULT_HOST_OVERHEAD_NS);
        StepTimeModel stepTime = StepTimeModels.forGpu(profileDir, gpu, model, tp,
                StepTimeModels.defaultCaptureSizes(batch.maxNumSeqs()));
        return simulate(engine, stepTime, isl, osl, client).withSettings(batch.describe(), tp);
    }

    /** The benchmark on a given engine and step-time model, with serve.py's defaults (1000 prompts, exact lengths). */
    public static Result simulate(EngineConfig engine, StepTimeModel stepTime, int isl, int osl, int concurrency) {
        return simulate(engine, stepTime, isl, osl, new Client(concurrency, DEFAULT_NUM_PROMPTS, 0.0, 0L));
    }

    /** The benchmark on a given engine and step-time model. */
    public static Result simulate(EngineConfig engine, StepTimeModel stepTime, int isl, int osl, Client client) {
        return new SemaphoreClient(engine, stepTime, isl, osl, client, null).run();
    }

    /** As {@link #simulate(EngineConfig, StepTimeModel, int, int, Client)}, also filling each request's issue time. */
    static Result simulate(EngineConfig engine, StepTimeModel stepTime, int isl, int osl, Client client, long[] issueNs) {
        return new SemaphoreClient(engine, stepTime, isl, osl, client, issueNs).run();
    }
}
