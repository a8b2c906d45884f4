package io.agentservesim.power;

import io.agentservesim.hardware.GpuSpec;

/**
 * Power of one instance's GPUs while a step runs: each GPU draws its idle power plus a share of its
 * dynamic range (TDP − idle) set by how hard the step drives compute and memory,
 * <pre>
 *   u_c = FLOPs / (GPUs × peak FLOP/s × t)      u_m = bytes / (GPUs × peak bandwidth × t)
 *   P   = GPUs × (idle + (TDP − idle) × min(1, u_c + β × u_m))
 * </pre>
 * Between steps the GPUs draw their idle power (standby). β = {@value #MEMORY_WEIGHT}: a GPU whose
 * HBM is saturated but whose tensor cores are mostly idle draws about a third of its dynamic range —
 * Ma et al., "The Illusion of Power Capping in LLM Decode", arXiv:2605.11999 (2026), measure memory-bound
 * decode on an H200 at 137–300 W of its 700 W limit: (300 − 75) / (700 − 75) ≈ 0.36. So a compute-bound
 * step draws more than a memory-bound one of the same duration, and a step at full FLOP/s draws TDP.
 * Peak FLOP/s is the catalog's dense BF16 figure.
 */
public final class GpuPowerModel {
    /** Share of the dynamic power range drawn per unit of HBM bandwidth utilisation. */
    public static final double MEMORY_WEIGHT = 0.36;

    private final int gpus;
    private final double dynamicRangeWatts;
    private final double peakFlopsPerNs;
    private final double peakBytesPerNs;

    public GpuPowerModel(GpuSpec gpu, int gpus) {
        if (gpus < 1) {
            throw new IllegalArgumentException("gpus must be at least 1, got " + gpus);
        }
        this.gpus = gpus;
        this.dynamicRangeWatts = Math.max(0, gpu.tdpWatts() - gpu.idleWatts());
        this.peakFlopsPerNs = gpus * gpu.bf16DenseFlops() / 1e9;
        this.peakBytesPerNs = gpus * gpu.memoryBandwidth() / 1e9;
    }

    /** Utilisation in [0, 1] of a step doing {@code flops} and moving {@code bytes} in {@code durationNs}. */
    public double utilisation(double flops, double bytes, long durationNs) {
        if (durationNs <= 0) {
            return 0;
        }
        double compute = flops / (peakFlopsPerNs * durationNs);
        double memory = bytes / (peakBytesPerNs * durationNs);
        return Math.min(1.0, compute + MEMORY_WEIGHT * memory);
    }

    /** Watts above idle of all GPUs of the instance during such a step. */
    public double dynamicWatts(double flops, double bytes, long durationNs) {
        return gpus * dynamicRangeWatts * utilisation(flops, bytes, durationNs);
    }
}
