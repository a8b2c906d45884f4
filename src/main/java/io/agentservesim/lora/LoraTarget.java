package io.agentservesim.lora;

import io.agentservesim.model.ModelShape;
import java.util.Locale;

/**
 * A linear layer of a decoder layer that a LoRA adapter adapts, with its input and output widths taken from the
 * model's shape. An adapter on a target holds A (rank x d_in) and B (d_out x rank). Under tensor parallelism
 * the row-parallel layers ({@code o_proj}, {@code down_proj}) split their input, the others their output, so
 * each GPU holds A of a row-parallel layer split d_in / tp and B of a column-parallel one split d_out / tp
 * (SGLang's {@code LoRAMemoryPool.get_lora_A_shape / get_lora_B_shape}, which ScaleSim's fork keeps).
 */
public enum LoraTarget {
    Q_PROJ(false), K_PROJ(false), V_PROJ(false), O_PROJ(true), GATE_PROJ(false), UP_PROJ(false), DOWN_PROJ(true);

    private final boolean rowParallel;

    LoraTarget(boolean rowParallel) {
        this.rowParallel = rowParallel;
    }

    /** The Hugging Face / PEFT module name ({@code q_proj} ...). */
    public String moduleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target named {@code module} (PEFT spelling), or null. */
    public static LoraTarget parse(String module) {
        for (LoraTarget t : values()) {
            if (t.moduleName().equals(module)) {
                return t;
            }
        }
        return null;
    }

    public boolean rowParallel() {
        return rowParallel;
    }

    /** Input width of the base layer. */
    public long dIn(ModelShape m) {
        return switch (this) {
            case O_PROJ -> (long) m.numAttentionHeads() * m.headDim();
            case DOWN_PROJ -> mlpWidth(m);
            default -> m.hiddenSize();
        };
    }

    /** Output width of the base layer. */
    public long dOut(ModelShape m) {
        return switch (this) {
            case Q_PROJ -> (long) m.numAttentionHeads() * m.headDim();
            case K_PROJ, V_PROJ -> (long) m.numKeyValueHeads() * m.headDim();
            case GATE_PROJ, UP_PROJ -> mlpWidth(m);
            default -> m.hiddenSize();
        };
    }

    /** Elements of A plus B at {@code rank} on one of {@code tp} GPUs. */
    public long elementsPerGpu(ModelShape m, int rank, int tp) {
        long in = rowParallel ? dIn(m) / tp : dIn(m);
        long out = rowParallel ? dOut(m) : dOut(m) / tp;
        return (long) rank * (in + out);
    }

    /** Width of the MLP a token passes through: the dense MLP, or for an MoE model one expert's. */
    private static long mlpWidth(ModelShape m) {
        return m.isMoe() ? m.moeIntermediateSize() : m.intermediateSize();
    }
}
