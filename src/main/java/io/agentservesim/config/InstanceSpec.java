package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one serving instance is built from: its model shape, its engine settings (KV pool sized for its
 * GPU), its step-time model (its GPU's profile bundle) and its role in a prefill/decode-disaggregated
 * cluster. A homogeneous cluster repeats one spec; {@code cluster.groups} gives one per group.
 *
 * @param label the profile bundle's folder, to tell groups apart in outputs
 */
public record InstanceSpec(ModelShape model, EngineConfig engine, StepTimeModel stepTime, int tensorParallelSize,
                           Role role, String label) {

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
        ModelShape model = ModelShape.load(modelPath);
        SimulationConfig.Engine e = c.engine();
        SimulationConfig.Hardware hw = c.hardware();
        Path profile = requiredPath(file, base, hw.profile(), "hardware.profile",
                "an LLMServingSim profile bundle folder (meta.yaml, tp<N>/)");

        int maxModelLen = e.maxModelLen() != null ? e.maxModelLen() : ModelLimits.maxPositionEmbeddings(modelPath);
        int numBlocks = e.numGpuBlocks() != null ? e.numGpuBlocks()
                : ModelLimits.blocksFromMemory(file, model, hw.memoryGib(), e.gpuMemoryUtilization(), e.blockSize(),
                        e.tensorParallelSize());
        StepTimeModel stepTime = StepTimeModels.fromProfile(profile, e.tensorParallelSize(), model,
                e.enforceEager() ? null : captureSizes(e));
        long overheadNs = hw.hostOverheadUs() != null
                ? Math.round(hw.hostOverheadUs() * 1e3)
                : StepTimeModels.DEFAULT_HOST_OVERHEAD_NS;
        EngineConfig engine;
        try {
            engine = new EngineConfig(e.maxNumBatchedTokens(), e.maxNumSeqs(), maxModelLen, e.blockSize(), numBlocks,
                    e.enablePrefixCaching(), e.enableChunkedPrefill(), e.longPrefillTokenThreshold(),
                    e.schedulerReserveFullIsl(), e.asyncScheduling(), overheadNs);
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, "engine: " + ex.getMessage());
        }
        return new InstanceSpec(model, engine, stepTime, e.tensorParallelSize(), role, base.relativize(profile).toString());
    }

    private static int[] captureSizes(SimulationConfig.Engine e) {
        if (e.cudagraphCaptureSizes() != null) {
            return e.cudagraphCaptureSizes();
        }
        return StepTimeModels.defaultCaptureSizes(e.maxNumSeqs());
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
