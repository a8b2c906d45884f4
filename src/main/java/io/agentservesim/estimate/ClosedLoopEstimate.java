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
 * Steady state of one engine under a closed loop of {@code C} clients, each sending back-to-back
 * requests of exactly {@code isl} prompt and {@code osl} output tokens (random tokens: no prefix-cache
 * hits), as vLLM's {@code benchmarks/benchmark_serving.py --max-concurrency C --random-input-len I
 * --random-output-len O} and NVIDIA AIConfigurator's static estimate measure it. A client sends its next
 * request the moment its previous one returns its last token.
 *
 * <p>All C clients start at time 0, so the first rounds prefill together; the first
 * {@value #WARMUP_ROUNDS} × C completions are discarded and the next {@value #MEASURED_ROUNDS} × C are
 * measured: mean TTFT (first token − arrival, queueing included), mean TPOT ((last − first token) /
 * (osl − 1)) and output tokens/s (output tokens of the measured requests / time from the last warm-up
 * completion to the last measured one). Engine settings are vLLM 0.19's serving defaults
 * ({@code vllm/engine/arg_utils.py}, OpenAI server on a GPU, {@link VllmBatchDefaults}): max_num_batched_tokens
 * 8192 and max_num_seqs 1024 on GPUs with at least 70 GiB that are not A100, 2048 and 256 on the others
 * (A100 80 GB included); chunked prefill, prefix
 * caching, async scheduling, gpu_memory_utilization 0.9, block size 16, CUDA graphs with the default
 * capture sizes. The KV pool comes from {@link ModelLimits#blocksFromMemory} with the catalog GPU's memory.
 */
public final class ClosedLoopEstimate {
    static final int WARMUP_ROUNDS = 2;
    static final int MEASURED_ROUNDS = 5;
    private static final double GPU_MEMORY_UTILIZATION = 0.9;
    private static final int BLOCK_SIZE = 16;

    /** The steady-state result, and the settings it ran with. */
    public record Result(double ttftMs, double tpotMs, double outputTokS, int numGpuBlocks, int maxNumBatchedTokens,
                         int maxNumSeqs, String stepTimeSource, String batchLimits) {
        /** The same result, saying where its batch limits came from (printed under the table). */
        public Result withBatchLimits(String origin) {
            return new Result(ttftMs, tpotMs, outputTokS, numGpuBlocks, maxNumBatchedTokens, maxNumSeqs, stepTimeSource,
                    origin);
        }

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{%n  \"ttft_ms\": %.4f,%n  \"tpot_ms\": %.4f,%n  \"output_tok_s\": %.3f,%n"
                            + "  \"num_gpu_blocks\": %d,%n  \"max_num_batched_tokens\": %d,%n  \"max_num_seqs\": %d,%n"
                            + "  \"batch_limits\": \"%s\",%n  \"step_time_source\": \"%s\"%n}%n",
                    ttftMs, tpotMs, outputTokS, numGpuBlocks, maxNumBatchedTokens, maxNumSeqs, batchLimits, stepTimeSource);
        }

        public String toTable() {
            return String.format(Locale.ROOT, "TTFT mean       %10.2f ms%nTPOT mean       %10.3f ms%n"
                            + "output tokens/s %10.1f%n(KV blocks %d, max_num_batched_tokens %d, max_num_seqs %d, step times: %s)%n",
                    ttftMs, tpotMs, outputTokS, numGpuBlocks, maxNumBatchedTokens, maxNumSeqs, stepTimeSource)
                    + "batch limits: " + batchLimits + "\n";
        }
    }

    private ClosedLoopEstimate() {
    }

    /**
     * Runs the estimate with the step times of {@link StepTimeModels#forGpu} (the bundle's profile where
     * {@code profileDir} is given and covers the case, the roofline elsewhere).
     */
    public static Result run(GpuSpec gpu, Path modelConfig, int tp, int isl, int osl, int concurrency, Path profileDir) {
        ModelShape model = ModelShape.load(modelConfig);
        String where = "estimate " + gpu.id() + " / " + model.name() + " / tp" + tp;
        if (isl < 1 || osl < 1 || concurrency < 1 || tp < 1) {
            throw new InputException(where + ": --isl, --osl, --concurrency and --tp must be >= 1");
        }
        if (model.numAttentionHeads() % tp != 0) {
            throw new InputException(where + ": --tp " + tp + " does not divide the " + model.numAttentionHeads()
                    + " attention heads of " + model.name());
        }
        String tooMany = io.agentservesim.engine.SimulatorMemory.liveRequestsProblem(concurrency, (long) isl + osl, BLOCK_SIZE);
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
        int maxModelLen = isl + osl;
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
        return simulate(engine, stepTime, isl, osl, concurrency).withBatchLimits(batch.describe());
    }

    /** The closed loop on a given engine and step-time model. */
    public static Result simulate(EngineConfig engine, StepTimeModel stepTime, int isl, int osl, int concurrency) {
        Simulation sim = new Simulation();
        Clients clients = new Clients(sim, concurrency, isl, osl);
        EngineInstance instance = new EngineInstance(0, sim, engine, stepTime, clients, false);
        clients.instance = instance;
        for (int i = 0; i < concurrency; i++) {
            clients.send(0L);
        }
        sim.run();
        return clients.result(engine, stepTime.source());
    }

    /** The C clients: each finished request triggers the next one from the same client, at the same time. */
    private static final class Clients implements EventTarget, io.agentservesim.engine.RequestListener {
        private final Simulation sim;
        private final int target;
        private final int isl;
        private final int osl;
        private final long warmup;
        private final long total;
        EngineInstance instance;
        private int nextId;
        private long finished;
        private long measured;
        private double ttftSumNs;
        private double tpotSumNs;
        private long outputTokens;
        private long windowStartNs;
        private long windowEndNs;

        Clients(Simulation sim, int concurrency, int isl, int osl) {
            this.sim = sim;
            this.target = sim.register(this);
            this.isl = isl;
            this.osl = osl;
            this.warmup = (long) WARMUP_ROUNDS * concurrency;
            this.total = warmup + (long) MEASURED_ROUNDS * concurrency;
        }

        void send(long now) {
            instance.submit(new RequestSpec(nextId++, now, isl, osl, null), now);
        }

        @Override
        public void onFinished(int instanceId, Request r) {
            long now = r.lastTokenNs();
            finished++;
            if (finished == warmup) {
                windowStartNs = now;
            } else if (finished > warmup && finished <= total) {
                measured++;
                ttftSumNs += r.firstTokenNs() - r.arrivalNs();
                if (r.outputTokens() > 1) {
                    tpotSumNs += TurnLatency.tpotNs(r.firstTokenNs(), r.lastTokenNs(), r.outputTokens());
                }
                outputTokens += r.outputTokens();
                windowEndNs = now;
            }
            if (nextId < total) {
                sim.schedule(now, target, 0);
            }
        }

        @Override
        public void onEvent(long now, int payload) {
            send(now);
        }

        Result result(EngineConfig engine, String source) {
            double window = (windowEndNs - windowStartNs) / 1e9;
            return new Result(ttftSumNs / measured / 1e6, osl > 1 ? tpotSumNs / measured / 1e6 : 0.0,
                    window > 0 ? outputTokens / window : Double.NaN, engine.numGpuBlocks(),
                    engine.maxNumBatchedTokens(), engine.maxNumSeqs(), source, "as given");
        }
    }
}
