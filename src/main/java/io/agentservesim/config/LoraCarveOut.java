package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.error.InputException;
import io.agentservesim.lora.LoraSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The GPU adapter pool of a world with LoRA adapters takes its HBM from the KV pool, as SGLang allocates its
 * {@code LoRAMemoryPool} (max_loras slots at the max rank) before sizing the KV pool from what memory is left:
 * a KV pool sized from hardware.memory_gib loses ceil(max_loras x adapter bytes / KV bytes per block) blocks; an
 * explicit engine.num_gpu_blocks is a cap (SGLang's {@code max_total_tokens}) and is kept when
 * hardware.memory_gib, less the adapters, still holds it, cut to what is left otherwise, and kept as given when no
 * memory is stated (ScaleSim's released setup: a 100,000-token KV budget beside 100 adapter slots).
 */
final class LoraCarveOut {
    private LoraCarveOut() {
    }

    static List<InstanceSpec> apply(Path file, SimulationConfig c, List<InstanceSpec> instances, WorldSetup world) {
        if (world == null && c.lora() != null && !c.lora().isNull()) {
            throw InputException.at(file, "lora: adapters are per agent of a multi-agent world; set world.trace or"
                    + " world.synthetic, or remove lora");
        }
        LoraSpec lora = world == null ? null : world.lora();
        if (lora == null) {
            return instances;
        }
        if (c.cluster().groups() != null && !c.cluster().groups().isNull()) {
            throw InputException.at(file, "lora: not supported with cluster.groups (each group's memory would need"
                    + " its own carve-out); use cluster.instances");
        }
        List<InstanceSpec> out = new ArrayList<>(instances.size());
        for (InstanceSpec s : instances) {
            if (s.catalogGpu() == null) {
                throw InputException.at(file, "lora: the batched LoRA kernels are priced on the roofline of the GPU;"
                        + " name it with hardware.gpu");
            }
            int tp = s.tensorParallelSize();
            EngineConfig e = s.engine();
            long poolBytes = lora.maxLoras() * lora.shape().bytesPerGpu(s.model(), tp);
            long perBlock = s.model().kvBytesPerBlock(e.blockSize()) / tp;
            long carved = (poolBytes + perBlock - 1) / perBlock;
            Double memory = c.hardware().memoryGib();
            int blocks = e.numGpuBlocks();
            if (memory != null) {
                long fromMemory = ModelLimits.blocksFromMemory(file, s.model(), memory,
                        c.engine().gpuMemoryUtilization(), e.blockSize(), tp, s.dataParallel().size());
                long left = fromMemory - carved;
                if (left < 2) {
                    throw InputException.at(file, String.format(java.util.Locale.ROOT,
                            "lora.max_loras: %d adapter slots of %.1f MiB leave no KV blocks in hardware.memory_gib %.1f",
                            lora.maxLoras(), lora.shape().bytesPerGpu(s.model(), tp) / 1048576.0, memory));
                }
                blocks = (int) Math.min(blocks, left);
            }
            EngineConfig carvedEngine = new EngineConfig(e.maxNumBatchedTokens(), e.maxNumSeqs(), e.maxModelLen(),
                    e.blockSize(), blocks, e.enablePrefixCaching(), e.enableChunkedPrefill(),
                    e.longPrefillTokenThreshold(), e.reserveFullIsl(), e.asyncScheduling(), e.hostOverheadNs());
            out.add(new InstanceSpec(s.model(), carvedEngine, s.stepTime(), tp, s.role(), s.label(), s.gpu(),
                    s.profile(), s.dataParallel(), s.batchLimits(), s.pipelineParallelSize()));
        }
        return out;
    }
}
