package io.agentservesim.lora;

import io.agentservesim.model.ModelShape;
import java.util.EnumSet;
import java.util.Set;

/**
 * The size of one LoRA adapter: its rank and the linear layers it adapts, on a given model. Bytes per GPU =
 * layers x sum over targets of rank x (d_in + d_out) (split by TP as {@link LoraTarget} says) x dtype bytes;
 * every adapter slot of the GPU pool is sized at this (max) rank, as SGLang's {@code LoRAMemoryPool} sizes its A
 * and B buffers at {@code max_lora_rank}. For an MoE model the MLP targets are taken at one expert's width
 * (a simplification: per-expert adapters are not modelled).
 *
 * @param rank LoRA rank r
 * @param targets adapted modules
 */
public record AdapterShape(int rank, Set<LoraTarget> targets) {
    public AdapterShape {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, got " + rank);
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target module is needed");
        }
        targets = Set.copyOf(EnumSet.copyOf(targets));
    }

    /** All seven projections of a Llama/Qwen decoder layer. */
    public static Set<LoraTarget> allLinear() {
        return EnumSet.allOf(LoraTarget.class);
    }

    /** A (rank x d_in) plus B (d_out x rank) elements of one decoder layer on one of {@code tp} GPUs. */
    public long elementsPerLayer(ModelShape m, int tp) {
        long n = 0;
        for (LoraTarget t : targets) {
            n += t.elementsPerGpu(m, rank, tp);
        }
        return n;
    }

    /** Bytes of one adapter on one of {@code tp} GPUs (what one pool slot holds, what one load moves). */
    public long bytesPerGpu(ModelShape m, int tp) {
        return elementsPerLayer(m, tp) * m.numLayers() * m.dtypeBytes();
    }
}
