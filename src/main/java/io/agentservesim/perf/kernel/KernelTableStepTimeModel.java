package io.agentservesim.perf.kernel;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.CudaGraphPadding;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;

/**
 * Step time built from AIConfigurator's measured vLLM kernel tables of the chosen GPU
 * ({@code hardware.step_times: kernel-tables}), composed the way AIConfigurator composes an aggregated
 * step:
 * <pre>
 * step = L × ( qkv + o_proj + gate_up + down         measured GEMMs at T tokens ({@link GemmTable})
 *            + context attention per prefill chunk   measured, over chunk + cached prefix
 *            + generation attention of the decodes   measured, at their mean cached length
 *            + norms, rotary, activation             roofline (the tables hold no elementwise ops)
 *            + MoE experts                            roofline ({@code FusedMoeKernel})
 *            + TP all-reduces )                       vLLM's measured all-reduce where held, else fitted
 *        + lm_head (measured GEMM) + embedding, final norm, sampler (roofline)
 * </pre>
 * Tokens are padded to the CUDA-graph capture sizes as in the roofline. The roofline's fitted
 * per-step overhead is not added: it stands for what the bundles' profiles hold outside their operators,
 * not for anything in a kernel table.
 */
public final class KernelTableStepTimeModel implements StepTimeModel {
    private final RooflineStepTimeModel roof;
    private final String source;
    private final int layers;
    private final boolean moe;
    private final int heads;
    private final int kvHeads;
    private final String kvDtype;
    private final int[] captureSizes;
    private final KernelTables tables;
    private final GemmTable.Gemm qkv;
    private final GemmTable.Gemm oProj;
    private final GemmTable.Gemm gateUp;
    private final GemmTable.Gemm down;
    private final GemmTable.Gemm lmHead;

    /**
     * {@code roof} prices what the tables do not hold (it must be built for the same GPU, model, TP and
     * capture sizes); {@code weightDtype} is the GEMM table's dtype ({@code bfloat16}, {@code fp8}, ...).
     */
    public KernelTableStepTimeModel(GpuSpec gpu, ModelShape model, int tp, int[] captureSizes,
            RooflineStepTimeModel roof, String weightDtype, String kvDtype) {
        String where = "kernel-tables " + gpu.id() + " / " + model.name() + " / tp" + tp;
        this.tables = KernelTables.forGpu(gpu);
        if (tables == null) {
            throw new InputException(where + ": AIConfigurator measured no vLLM kernel tables for GPU " + gpu.id()
                    + " (they exist for a100_sxm, h100_sxm, h200_sxm, b200_sxm, l40s, rtx_pro_6000_server)");
        }
        GemmTable gemm = tables.gemm(weightDtype);
        if (gemm == null) {
            throw new InputException(where + ": no " + weightDtype + " GEMM table in " + tables.source());
        }
        if (model.headDim() != 128) {
            throw new InputException(where + ": the attention tables hold head_dim 128 only, model has "
                    + model.headDim());
        }
        this.roof = roof;
        this.layers = model.numLayers();
        this.moe = model.isMoe();
        this.heads = model.numAttentionHeads() / tp;
        this.kvHeads = Math.max(1, model.numKeyValueHeads() / tp);
        this.kvDtype = kvDtype;
        if (!tables.hasAttention(heads, kvHeads, kvDtype)) {
            throw new InputException(where + ": no attention rows for " + heads + " query / " + kvHeads
                    + " KV heads per GPU with a " + kvDtype + " KV cache in " + tables.source());
        }
        this.captureSizes = captureSizes == null ? new int[0]
                : java.util.Arrays.stream(captureSizes).filter(c -> c >= 1).distinct().sorted().toArray();
        double hidden = model.hiddenSize();
        double q = (double) heads * model.headDim();
        double qkvWidth = (heads + 2.0 * kvHeads) * model.headDim();
        double mlp = (double) model.intermediateSize() / tp;
        this.qkv = require(gemm, qkvWidth, hidden, where);
        this.oProj = require(gemm, hidden, q, where);
        this.gateUp = moe ? null : require(gemm, 2.0 * mlp, hidden, where);
        this.down = moe ? null : require(gemm, hidden, mlp, where);
        // vLLM keeps the LM head unquantized in every quantized checkpoint format it loads.
        GemmTable bf16 = tables.gemm("bfloat16");
        this.lmHead = require(bf16 != null ? bf16 : gemm, (double) model.vocabSize() / tp, hidden, where);
        this.source = "kernel-tables:" + tables.source() + "/" + model.name() + "/tp" + tp + "/" + weightDtype
                + (kvDtype.equals("bfloat16") ? "" : "/kv-" + kvDtype)
                + (moe ? "(experts: roofline)" : "");
    }

    private static GemmTable.Gemm require(GemmTable t, double n, double k, String where) {
        GemmTable.Gemm g = t.resolve(n, k, -1);
        if (g == null) {
            throw new InputException(where + ": no measured " + t.dtype() + " GEMM within "
                    + GemmTable.MAX_OCTAVES + " octaves of n=" + (long) n + " k=" + (long) k);
        }
        return g;
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0L;
        }
        return Math.round((computeUs(batch) + roof.allReduceUs(batch) + roof.allToAllUs(batch)) * 1000.0);
    }

    /** GPU time of the step's operators in µs, collectives excluded. */
    public double computeUs(BatchShape batch) {
        boolean graph = CudaGraphPadding.graphed(captureSizes, batch) && captureSizes.length > 0;
        double t = CudaGraphPadding.tokens(captureSizes, batch);
        double s = graph ? CudaGraphPadding.padUp(captureSizes, batch.numSequences()) : batch.numSequences();
        double perLayer = qkv.us(t) + oProj.us(t)
                + 2.0 * roof.opUs(Op.LAYERNORM, t) + roof.opUs(Op.ROTARY, t)
                + (moe ? roof.opUs(Op.MOE, t) : gateUp.us(t) + down.us(t) + roof.opUs(Op.ACT, t))
                + attentionUs(batch);
        double once = roof.opUs(Op.EMBEDDING, t) + roof.opUs(Op.FINAL_NORM, t) + lmHead.us(s)
                + roof.opUs(Op.SAMPLER, s);
        return layers * perLayer + once;
    }

    /**
     * One layer's attention: each prefill chunk of more than one token as a context-attention call of
     * one sequence over its cached prefix, the decodes (and one-token chunks) as one generation call at
     * their mean cached length, as AIConfigurator prices a mixed step.
     */
    public double attentionUs(BatchShape batch) {
        double us = 0;
        int decodes = 0;
        double kv = 0;
        for (int i = 0, n = batch.numPrefills(); i < n; i++) {
            int c = batch.prefillChunk(i);
            if (c <= 1) {
                decodes++;
                kv += batch.prefillKv(i) + c - 1.0;
            } else {
                us += tables.contextUs(heads, kvHeads, kvDtype, 1, c, batch.prefillKv(i));
            }
        }
        for (int i = 0, n = batch.numDecodes(); i < n; i++) {
            decodes++;
            kv += batch.decodeKv(i);
        }
        if (decodes > 0) {
            us += tables.generationUs(heads, kvHeads, kvDtype, decodes, kv / decodes);
        }
        return us;
    }

    @Override
    public String source() {
        return source;
    }
}
