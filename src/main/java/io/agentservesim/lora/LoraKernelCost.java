package io.agentservesim.lora;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;

/**
 * The extra GPU time of a step whose batch runs with LoRA adapters: the batched LoRA kernels (Punica's SGMV for
 * prefill, BGMV for decode; SGLang's {@code lora_backend} triton/csgmv) run, for every adapted linear layer, a
 * shrink GEMM {@code x (T x d_in) . A^T (d_in x r)} and an expand GEMM {@code (T x r) . B^T (r x d_out)} added into
 * the base layer's output. Each is priced on the roofline, max(FLOPs / achieved FLOP/s, bytes / achieved
 * bandwidth), with per GPU (widths split by tensor parallelism as {@link LoraTarget} says):
 * <ul>
 * <li>shrink: FLOPs 2 T r d_in; bytes (T d_in + n r d_in + T r) x dtype (read x, read the n adapters' A, write the
 *     rank-r intermediate)</li>
 * <li>expand: FLOPs 2 T r d_out; bytes (T r + n r d_out + 2 T d_out) x dtype (read the intermediate and the n
 *     adapters' B, read-modify-write the output)</li>
 * </ul>
 * where T is the step's tokens and n the distinct adapters of its batch ({@link BatchShape#loraAdapters}): the
 * weights of each adapter are read once per step, so many adapters in one batch cost bandwidth, not FLOPs. The
 * GEMM efficiency fractions are the project's calibrated roofline factors of the GPU; launch overheads are left out
 * (the kernels run inside the step's CUDA graph).
 */
public final class LoraKernelCost implements StepTimeModel {
    private final StepTimeModel base;
    private final double flopsPerNs;
    private final double bytesPerNs;
    /** Per adapted target: d_in and d_out on one GPU. */
    private final long[] dIn;
    private final long[] dOut;
    private final int rank;
    private final int layers;
    private final int dtypeBytes;

    public LoraKernelCost(StepTimeModel base, AdapterShape shape, ModelShape model, int tp, GpuSpec gpu) {
        this(base, shape, model, tp, gpu.bf16DenseFlops() * RooflineFactors.builtin().forGpu(gpu).gemmFlopFraction(),
                gpu.memoryBandwidth() * efficiency(gpu).gemmBandwidthFraction());
    }

    /** With the achieved FLOP/s and bytes/s given (tests). */
    public LoraKernelCost(StepTimeModel base, AdapterShape shape, ModelShape model, int tp, double flopsPerS,
                          double bytesPerS) {
        this.base = base;
        this.flopsPerNs = flopsPerS / 1e9;
        this.bytesPerNs = bytesPerS / 1e9;
        int n = shape.targets().size();
        this.dIn = new long[n];
        this.dOut = new long[n];
        int i = 0;
        for (LoraTarget t : LoraTarget.values()) {
            if (shape.targets().contains(t)) {
                dIn[i] = t.rowParallel() ? t.dIn(model) / tp : t.dIn(model);
                dOut[i] = t.rowParallel() ? t.dOut(model) : t.dOut(model) / tp;
                i++;
            }
        }
        this.rank = shape.rank();
        this.layers = model.numLayers();
        this.dtypeBytes = model.dtypeBytes();
    }

    private static RooflineEfficiency efficiency(GpuSpec gpu) {
        return RooflineFactors.builtin().forGpu(gpu);
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        long ns = base.stepTimeNs(batch);
        int adapters = batch.loraAdapters();
        return adapters == 0 ? ns : ns + extraNs(batch.totalTokens(), adapters);
    }

    /** The LoRA kernels' time of a step of {@code tokens} tokens over {@code adapters} distinct adapters. */
    public long extraNs(long tokens, int adapters) {
        double perLayer = 0;
        for (int i = 0; i < dIn.length; i++) {
            perLayer += kernelNs(2.0 * tokens * rank * dIn[i],
                    (double) dtypeBytes * (tokens * dIn[i] + (double) adapters * rank * dIn[i] + tokens * rank));
            perLayer += kernelNs(2.0 * tokens * rank * dOut[i],
                    (double) dtypeBytes * (tokens * rank + (double) adapters * rank * dOut[i] + 2.0 * tokens * dOut[i]));
        }
        return Math.round(perLayer * layers);
    }

    private double kernelNs(double flops, double bytes) {
        return Math.max(flops / flopsPerNs, bytes / bytesPerNs);
    }

    @Override
    public String source() {
        return base.source() + " + lora-roofline";
    }
}
