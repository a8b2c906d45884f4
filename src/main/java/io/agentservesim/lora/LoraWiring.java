package io.agentservesim.lora;

import io.agentservesim.config.InstanceSpec;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.residency.HostTier;
import io.agentservesim.residency.KvResidency;
import io.agentservesim.residency.Link;
import io.agentservesim.results.WorldSummary;
import io.agentservesim.world.WorldSource;

/**
 * Puts a world's LoRA adapters on one serving instance: the step time gains the batched LoRA kernels
 * ({@link LoraKernelCost}), the scheduler admits a turn only once its adapter is in a GPU slot ({@link
 * AdapterPool}), and the KV residency model's policy decides how slots are taken over (invocation distance, or
 * LRU as SGLang's {@code --lora-eviction-policy lru}) and whether adapters are loaded ahead. Adapters are copied
 * over the instance's host link: the host tier's link when there is one (shared with the KV loads and
 * write-backs, queued first come first served), else a link of the GPU's host bandwidth.
 */
public final class LoraWiring {
    /** Latency of one host-to-GPU copy when no host tier gives one (a PCIe DMA setup). */
    static final long HOST_LINK_LATENCY_NS = 10_000;

    private LoraWiring() {
    }

    /** The instance's step-time model, with the LoRA kernels when {@code lora} is set. */
    public static StepTimeModel stepTime(LoraSpec lora, InstanceSpec spec) {
        return lora == null ? spec.stepTime()
                : new LoraKernelCost(spec.stepTime(), lora.shape(), spec.model(), spec.tensorParallelSize(), spec.catalogGpu());
    }

    /** Gives {@code engine} and {@code residency} the instance's adapter pool; nothing when {@code lora} is null. */
    public static void attach(LoraSpec lora, InstanceSpec spec, WorldSource world, EngineInstance engine,
                              KvResidency residency, HostTier host, int id) {
        if (lora == null) {
            return;
        }
        Link link = host != null ? host.link()
                : new Link("host-link-" + id, spec.catalogGpu().hostLinkBandwidth(), HOST_LINK_LATENCY_NS);
        AdapterPool pool = new AdapterPool(lora.maxLoras(), lora.adapterCount(world.agents()),
                lora.shape().bytesPerGpu(spec.model(), spec.tensorParallelSize()), link, residency.adapterEviction());
        engine.scheduler().useAdapters(pool, lora::adapterOf);
        residency.useAdapters(pool, lora::adapterOf);
    }

    /** Adds the instance's adapter counters to the world summary (nothing without adapters). */
    public static void report(EngineInstance engine, KvResidency residency, WorldSummary summary) {
        AdapterPool p = engine.scheduler().adapters();
        if (p == null) {
            return;
        }
        summary.addLora(p.slots(), p.bytesPerAdapter(), p.loads(), p.loadedBytes(), p.evictions(),
                residency.prefetchedAdapters(), engine.scheduler().adapterWaits(), p.droppedLoads(),
                engine.scheduler().maxBatchAdapters(), engine.pool().numBlocks());
    }
}
