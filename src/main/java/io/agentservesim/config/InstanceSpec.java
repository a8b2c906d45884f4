package io.agentservesim.config;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.perf.parallel.DataParallelModels;
import io.agentservesim.perf.parallel.DataParallelMoeStepTimeModel;
import io.agentservesim.perf.parallel.Parallelism;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.VllmBatchDefaults;
import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one serving instance is built from: its model shape, its engine settings (KV pool sized for its
 * GPU), its step-time model (its GPU's profile bundle) and its role in a prefill/decode-disaggregated
 * cluster. A homogeneous cluster repeats one spec; {@code cluster.groups} gives one per group. With data
 * parallelism an instance is one deployment of {@code dataParallel.size()} ranks, each built from this spec.
 *
 * @param stepTime     one rank's step time (under lockstep data parallelism: while the other ranks idle)
 * @param label        the profile bundle's folder, to tell groups apart in outputs
 * @param gpu          the catalog GPU named by hardware.gpu; null when only a profile was given
 * @param profile      the profile bundle folder; null for roofline step times
 * @param dataParallel the deployment's data-parallel ranks (parallel.data_parallel_size)
 * @param pipelineParallelSize pipeline stages of one rank (engine.pipeline_parallel_size), each on its own
 *                     tensor-parallel group of GPUs
 */
public record InstanceSpec(ModelShape model, EngineConfig engine, StepTimeModel stepTime, int tensorParallelSize,
                           Role role, String label, GpuSpec gpu, Path profile, DataParallel dataParallel,
                           String batchLimits, int pipelineParallelSize) {

    /** GPUs one rank occupies: tensor-parallel x pipeline-parallel (what draws power). */
    public int gpusPerRank() {
        return tensorParallelSize * pipelineParallelSize;
    }

    /**
     * The catalog GPU this instance runs on: hardware.gpu, else the catalog GPU of the profile bundle's hardware
     * name; null when neither names one.
     */
    public GpuSpec catalogGpu() {
        return catalogGpu(gpu, profile, tensorParallelSize);
    }

    private static GpuSpec catalogGpu(GpuSpec gpu, Path profile, int tensorParallelSize) {
        if (gpu != null) {
            return gpu;
        }
        if (profile == null) {
            return null;
        }
        io.agentservesim.hardware.GpuCatalog catalog = io.agentservesim.hardware.GpuCatalog.builtin();
        String hardware = io.agentservesim.perf.ProfileBundle.load(profile, tensorParallelSize).hardware();
        String id = io.agentservesim.hardware.ProfileHardware.catalogId(hardware, catalog);
        return id == null ? null : catalog.get(id);
    }

    /**
     * engine.max_num_batched_tokens and max_num_seqs: as given, or vLLM's default for the GPU the instance runs
     * on ({@link VllmBatchDefaults}): the catalog GPU (hardware.gpu, else the profile's), else a GPU of
     * hardware.memory_gib; {@code engine.usage_context} says whether vLLM ran as the API server or offline.
     */
    private static VllmBatchDefaults batch(Path file, SimulationConfig.Engine e, SimulationConfig.Hardware hw,
                                           GpuSpec gpu, Path profile, int maxModelLen) {
        VllmBatchDefaults.UsageContext usage;
        try {
            usage = VllmBatchDefaults.UsageContext.parse(e.usageContext());
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, "engine.usage_context: " + ex.getMessage());
        }
        if (e.maxNumBatchedTokens() != null && e.maxNumSeqs() != null) {
            return VllmBatchDefaults.resolve(e.maxNumBatchedTokens(), e.maxNumSeqs(), 0, "", usage, maxModelLen,
                    e.enableChunkedPrefill());
        }
        GpuSpec device = catalogGpu(gpu, profile, e.tensorParallelSize());
        long bytes = device != null ? device.memoryBytes()
                : hw.memoryGib() != null ? Math.round(hw.memoryGib() * (1L << 30)) : 0;
        String name = device != null ? device.name() : "GPU of hardware.memory_gib";
        return VllmBatchDefaults.resolve(e.maxNumBatchedTokens(), e.maxNumSeqs(), bytes, name, usage, maxModelLen,
                e.enableChunkedPrefill());
    }

    /** An instance's part in serving a turn (DistServe's and Splitwise's prefill and decode phases). */
    public enum Role {
        /** Prefill and decode on the same instance (vLLM's default). */
        BOTH,
        /** Only prefill and the first token; the KV then moves to a decode instance. */
        PREFILL,
        /** Only decoding, with the prompt's KV received from a prefill instance. */
        DECODE;

        /** The role named in YAML: both, prefill or decode. */
        static Role parse(Path file, String field, String value) {
            return switch (value == null ? "both" : value) {
                case "both" -> BOTH;
                case "prefill" -> PREFILL;
                case "decode" -> DECODE;
                default -> throw InputException.at(file, field + ": '" + value
                        + "' is not a role; expected both, prefill or decode");
            };
        }
    }

    /**
     * Builds the spec of the model, hardware and engine sections of {@code c}: loads the model, sizes the
     * KV pool (engine.num_gpu_blocks, or from hardware.memory_gib), builds the step-time model of the profile.
     */
    static InstanceSpec build(Path file, Path base, SimulationConfig c, Role role) {
        Path modelPath = requiredPath(file, base, c.model(), "model", "a Hugging Face config.json");
        SimulationConfig.Engine e = c.engine();
        ModelShape model;
        try {
            model = ModelShape.load(modelPath).withKvCacheDtype(e.kvCacheDtype());
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, "engine." + ex.getMessage());
        }
        SimulationConfig.Hardware hw = c.hardware();
        GpuSpec gpu = null;
        if (hw.gpu() != null) {
            GpuCatalog catalog = GpuCatalog.builtin();
            if (!catalog.ids().contains(hw.gpu())) {
                throw InputException.at(file, "hardware.gpu: unknown GPU '" + hw.gpu() + "'; expected one of " + catalog.ids());
            }
            gpu = catalog.get(hw.gpu());
            if (hw.gpuP2p() != null) {
                gpu = gpu.withP2p(hw.gpuP2p());
            }
        } else if (hw.gpuP2p() != null) {
            throw InputException.at(file, "hardware.gpu_p2p: says how this machine's GPUs reach each other;"
                    + " name the GPU with hardware.gpu");
        }
        final GpuSpec chosenGpu = gpu;
        Path profile = hw.profile() == null && gpu != null ? null
                : requiredPath(file, base, hw.profile(), "hardware.profile",
                        "an LLMServingSim profile bundle folder (meta.yaml, tp<N>/), or hardware.gpu for roofline step times");
        int tp = c.engine().tensorParallelSize();
        if (tp < 1 || model.numAttentionHeads() % tp != 0) {
            // vLLM refuses the same (verify_with_parallel_config): heads are split evenly over TP ranks.
            throw InputException.at(file, "engine.tensor_parallel_size: " + tp + " does not divide the "
                    + model.numAttentionHeads() + " attention heads of " + model.name());
        }
        Parallelism par = parallelism(file, c, model, gpu);
        int dp = dataParallelSize(file, c, model, gpu);

        int maxModelLen = e.maxModelLen() != null ? e.maxModelLen() : ModelLimits.maxPositionEmbeddings(modelPath);
        int numBlocks = e.numGpuBlocks() != null ? e.numGpuBlocks()
                : ModelLimits.blocksFromMemory(file, model, hw.memoryGib(), e.gpuMemoryUtilization(), e.blockSize(),
                        e.tensorParallelSize(), dp);
        String tooLarge = io.agentservesim.engine.SimulatorMemory.blocksProblem(numBlocks, dp);
        if (tooLarge != null) {
            throw InputException.at(file, (e.numGpuBlocks() != null ? "engine.num_gpu_blocks: " : "hardware.memory_gib: ")
                    + tooLarge);
        }
        VllmBatchDefaults batch = batch(file, e, hw, gpu, profile, maxModelLen);
        int[] capture = e.enforceEager() ? null : captureSizes(e, batch.maxNumSeqs());
        DataParallel dataParallel = dp == 1 ? DataParallel.NONE : !model.isMoe() ? DataParallel.independent(dp)
                : dataParallelModels(file, () -> DataParallelModels.of(profile, chosenGpu, model, tp, capture, dp,
                        c.parallel().enableExpertParallel(), par.routing(), par.zipfS()));
        StepTimeModel stepTime = dataParallel.lockstepped()
                ? ((DataParallelMoeStepTimeModel) dataParallel.lockstep()).oneRankBusy()
                : gpu == null
                ? StepTimeModels.fromProfile(profile, e.tensorParallelSize(), model, capture)
                : kernelTables(file, hw, profile, par)
                ? named(file, "hardware.step_times", () -> StepTimeModels.kernelTables(chosenGpu, model,
                        e.tensorParallelSize(), capture))
                : named(file, "hardware.gpu", () -> StepTimeModels.forGpu(profile, chosenGpu, model, e.tensorParallelSize(), capture, par));
        long overheadNs = hw.hostOverheadUs() != null
                ? Math.round(hw.hostOverheadUs() * 1e3)
                : StepTimeModels.DEFAULT_HOST_OVERHEAD_NS;
        EngineConfig engine;
        try {
            engine = new EngineConfig(batch.maxNumBatchedTokens(), batch.maxNumSeqs(), maxModelLen, e.blockSize(), numBlocks,
                    e.enablePrefixCaching(), e.enableChunkedPrefill(), e.longPrefillTokenThreshold(),
                    e.schedulerReserveFullIsl(), e.asyncScheduling(), overheadNs);
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, "engine: " + ex.getMessage());
        }
        String label = profile != null ? base.relativize(profile).toString() : "roofline:" + gpu.id();
        return new InstanceSpec(model, engine, stepTime, e.tensorParallelSize(), role, label, gpu, profile, dataParallel,
                batch.describe(), Math.max(1, e.pipelineParallelSize()));
    }

    /**
     * hardware.step_times: {@code kernel-tables} prices steps from AIConfigurator's measured kernel tables
     * of hardware.gpu ({@code StepTimeModels.kernelTables}); {@code default} (or absent) keeps the
     * profile-first, roofline-for-the-gaps model.
     */
    private static boolean kernelTables(Path file, SimulationConfig.Hardware hw, Path profile, Parallelism par) {
        String s = hw.stepTimes();
        if (s == null || s.equals("default")) {
            return false;
        }
        if (!s.equals("kernel-tables")) {
            throw InputException.at(file, "hardware.step_times: expected default or kernel-tables, got \"" + s + "\"");
        }
        if (hw.gpu() == null) {
            throw InputException.at(file, "hardware.step_times: kernel-tables needs hardware.gpu (the GPU whose tables to read)");
        }
        if (profile != null) {
            throw InputException.at(file, "hardware.step_times: kernel-tables replaces hardware.profile; give one of them");
        }
        if (!par.equals(Parallelism.NONE)) {
            throw InputException.at(file, "hardware.step_times: kernel-tables does not yet price expert or pipeline"
                    + " parallelism; leave it out for those");
        }
        return true;
    }

    /**
     * parallel.data_parallel_size, checked: an MoE model's ranks step in lockstep and exchange tokens over
     * the GPU links, so they need hardware.gpu; pipeline parallelism inside a rank is not simulated.
     */
    private static int dataParallelSize(Path file, SimulationConfig c, ModelShape model, GpuSpec gpu) {
        int dp = c.parallel().dataParallelSize();
        if (dp < 1) {
            throw InputException.at(file, "parallel.data_parallel_size: expected >= 1, got " + dp);
        }
        if (dp > 1 && c.engine().pipelineParallelSize() > 1) {
            throw InputException.at(file, "parallel.data_parallel_size: data parallelism with"
                    + " engine.pipeline_parallel_size > 1 is not simulated; give one of them");
        }
        if (dp > 1 && model.isMoe() && gpu == null) {
            throw InputException.at(file, "hardware.gpu: the data-parallel ranks of an MoE model exchange tokens in"
                    + " every MoE layer over the GPU links; give the catalog id of the GPU");
        }
        return dp;
    }

    /**
     * Expert and pipeline parallelism and MoE routing from engine.* and moe.*; anything but the default
     * needs hardware.gpu (its links carry the all-to-all and the stage-to-stage sends). With
     * parallel.enable_expert_parallel and one data-parallel rank the experts spread over the TP GPUs
     * (vLLM's EP = DP x TP); across data-parallel ranks {@link DataParallelModels} prices them.
     */
    private static Parallelism parallelism(Path file, SimulationConfig c, ModelShape model, GpuSpec gpu) {
        SimulationConfig.Engine e = c.engine();
        SimulationConfig.Moe moe = c.moe();
        MoeRouting.Kind routing = named(file, "moe.routing", () -> MoeRouting.parseKind(moe.routing()));
        int dp = Math.max(1, c.parallel().dataParallelSize());
        boolean epFlag = c.parallel().enableExpertParallel() && model.isMoe();
        int vllmEp = dp * e.tensorParallelSize();
        if (epFlag && e.expertParallelSize() != 1 && e.expertParallelSize() != vllmEp) {
            throw InputException.at(file, "engine.expert_parallel_size: " + e.expertParallelSize()
                    + " disagrees with parallel.enable_expert_parallel, under which vLLM spreads the experts over"
                    + " data_parallel_size x tensor_parallel_size = " + vllmEp + " GPUs; give one of them");
        }
        if (dp > 1 && e.expertParallelSize() != 1 && !epFlag) {
            throw InputException.at(file, "engine.expert_parallel_size: across data-parallel ranks use"
                    + " parallel.enable_expert_parallel (vLLM spreads the experts over data_parallel_size x"
                    + " tensor_parallel_size GPUs)");
        }
        int ep = dp == 1 && epFlag ? e.tensorParallelSize() : dp > 1 ? 1 : e.expertParallelSize();
        int pp = e.pipelineParallelSize();
        if (ep < 1) {
            throw InputException.at(file, "engine.expert_parallel_size: expected >= 1, got " + ep);
        }
        if (pp < 1) {
            throw InputException.at(file, "engine.pipeline_parallel_size: expected >= 1, got " + pp);
        }
        if (ep > 1 && !model.isMoe()) {
            throw InputException.at(file, "engine.expert_parallel_size: " + model.name() + " has no experts");
        }
        if (ep > 1 && model.numExperts() % ep != 0) {
            throw InputException.at(file, "engine.expert_parallel_size: " + ep + " does not divide the "
                    + model.numExperts() + " experts of " + model.name());
        }
        if (routing != MoeRouting.Kind.BALANCED && !model.isMoe()) {
            throw InputException.at(file, "moe.routing: " + model.name() + " has no experts; expert routing applies"
                    + " to MoE models only (leave it balanced)");
        }
        Integer microGiven = e.pipelineMicroBatches();
        if (microGiven != null && microGiven < 1) {
            throw InputException.at(file, "engine.pipeline_micro_batches: expected >= 1, got " + microGiven);
        }
        if (microGiven != null && microGiven != 1 && pp == 1) {
            throw InputException.at(file, "engine.pipeline_micro_batches: " + microGiven + " batches in flight need"
                    + " pipeline stages; set engine.pipeline_parallel_size > 1 or leave it null");
        }
        int micro = microGiven != null ? microGiven : pp;
        boolean defaults = ep == 1 && pp == 1 && routing == MoeRouting.Kind.BALANCED;
        if (!defaults && gpu == null) {
            throw InputException.at(file, "hardware.gpu: expert/pipeline parallelism and MoE routing need the GPU"
                    + " (its links and the roofline); give a catalog id");
        }
        if (defaults) {
            return Parallelism.NONE;
        }
        return named(file, "engine", () -> new Parallelism(ep, routing, moe.zipfS(), pp, micro));
    }

    /** The lockstep group's models; their refusals (experts that do not divide, weights that do not fit) name the section. */
    private static DataParallel dataParallelModels(Path file, java.util.function.Supplier<DataParallel> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException | InputException ex) {
            throw InputException.at(file, "parallel: " + ex.getMessage());
        }
    }

    private static <T> T named(Path file, String field, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, field + ": " + ex.getMessage());
        }
    }

    private static int[] captureSizes(SimulationConfig.Engine e, int maxNumSeqs) {
        if (e.cudagraphCaptureSizes() != null) {
            return e.cudagraphCaptureSizes();
        }
        return StepTimeModels.defaultCaptureSizes(maxNumSeqs);
    }

    static Path requiredPath(Path file, Path base, String value, String field, String expected) {
        if (value == null || value.isBlank()) {
            throw InputException.at(file, field + ": missing; expected the path of " + expected);
        }
        Path p = base.resolve(value).normalize();
        if (!Files.exists(p)) {
            throw InputException.at(file, field + ": " + p + " does not exist; expected " + expected);
        }
        return p;
    }
}
