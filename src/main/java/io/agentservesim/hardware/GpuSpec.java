package io.agentservesim.hardware;

import java.util.Map;

/**
 * Published specifications of one accelerator, as the roofline step-time model and the KV/link models
 * need them. SI units throughout (bytes, bytes per second, FLOP/s, watts); bandwidths are one direction.
 *
 * @param id                      catalog key (AIConfigurator's system name where one exists, e.g. "h100_sxm")
 * @param name                    marketing name
 * @param bf16DenseFlops          dense BF16 tensor-core FLOP/s (FP32 accumulate)
 * @param fp8DenseFlops           dense FP8 tensor-core FLOP/s, 0 where the GPU has no FP8
 * @param memoryBytes             device memory capacity
 * @param memoryBandwidth         peak device memory bandwidth, bytes/s
 * @param smCount                 streaming multiprocessors
 * @param gpuLink                 the path between GPUs of one node
 * @param gpuLinkBandwidth        GPU-to-GPU bandwidth per GPU, bytes/s
 * @param hostLinkBandwidth       GPU-to-host bandwidth, bytes/s
 * @param idleWatts               idle power draw
 * @param tdpWatts                board power limit
 * @param computeCapability       CUDA compute capability, or null where the catalog entry gives none
 * @param fp16AccumulateDenseFlops dense FP16 tensor FLOP/s with FP16 accumulate where it is higher than
 *                                the BF16 figure (GeForce parts, whose FP32 accumulation runs at half that
 *                                rate), else 0
 * @param sources                 field name → where the number comes from
 * @param gpuP2p                  whether the GPUs of one node reach each other's memory peer to peer (CUDA
 *                                P2P): vLLM's custom all-reduce needs it (its P2P check), else NCCL runs
 * @param fp4DenseFlops           dense FP4 (NVFP4) tensor-core FLOP/s, 0 where the GPU has no FP4 tensor cores
 *                                (before Blackwell)
 */
public record GpuSpec(
        String id,
        String name,
        double bf16DenseFlops,
        double fp8DenseFlops,
        long memoryBytes,
        double memoryBandwidth,
        int smCount,
        GpuLink gpuLink,
        double gpuLinkBandwidth,
        double hostLinkBandwidth,
        double idleWatts,
        double tdpWatts,
        ComputeCapability computeCapability,
        double fp16AccumulateDenseFlops,
        Map<String, String> sources,
        boolean gpuP2p,
        double fp4DenseFlops) {

    /** How GPUs of one node reach each other. */
    public enum GpuLink { NVLINK, PCIE }

    public GpuSpec {
        sources = Map.copyOf(sources);
    }

    /** A GPU without FP4 tensor cores (every GPU before Blackwell). */
    public GpuSpec(String id, String name, double bf16DenseFlops, double fp8DenseFlops, long memoryBytes,
                   double memoryBandwidth, int smCount, GpuLink gpuLink, double gpuLinkBandwidth,
                   double hostLinkBandwidth, double idleWatts, double tdpWatts, ComputeCapability computeCapability,
                   double fp16AccumulateDenseFlops, Map<String, String> sources, boolean gpuP2p) {
        this(id, name, bf16DenseFlops, fp8DenseFlops, memoryBytes, memoryBandwidth, smCount, gpuLink, gpuLinkBandwidth,
                hostLinkBandwidth, idleWatts, tdpWatts, computeCapability, fp16AccumulateDenseFlops, sources, gpuP2p, 0.0);
    }

    /** A GPU whose peers reach each other by P2P (every catalog GPU unless its entry says otherwise). */
    public GpuSpec(String id, String name, double bf16DenseFlops, double fp8DenseFlops, long memoryBytes,
                   double memoryBandwidth, int smCount, GpuLink gpuLink, double gpuLinkBandwidth,
                   double hostLinkBandwidth, double idleWatts, double tdpWatts, ComputeCapability computeCapability,
                   double fp16AccumulateDenseFlops, Map<String, String> sources) {
        this(id, name, bf16DenseFlops, fp8DenseFlops, memoryBytes, memoryBandwidth, smCount, gpuLink, gpuLinkBandwidth,
                hostLinkBandwidth, idleWatts, tdpWatts, computeCapability, fp16AccumulateDenseFlops, sources, true);
    }

    /** The same GPU on a machine that does ({@code true}) or does not give its GPUs P2P access. */
    public GpuSpec withP2p(boolean p2p) {
        return new GpuSpec(id, name, bf16DenseFlops, fp8DenseFlops, memoryBytes, memoryBandwidth, smCount, gpuLink,
                gpuLinkBandwidth, hostLinkBandwidth, idleWatts, tdpWatts, computeCapability, fp16AccumulateDenseFlops,
                sources, p2p, fp4DenseFlops);
    }

    /**
     * FLOP/s the SM's operand feed (shared memory, registers, warp scheduling) is built for: the
     * FP16-accumulate rate where it is higher than the BF16 rate, else the BF16 rate. GeForce parts run
     * FP16/BF16 matrix math with FP32 accumulation (what cuBLAS, FlashAttention and Triton use for BF16)
     * at half their FP16-accumulate rate; data-centre and workstation parts run both at one rate. A
     * kernel's fitted FLOP fraction describes how well it feeds the tensor cores, so the roofline applies
     * it to this figure and caps the result at {@link #bf16DenseFlops()}: on a half-rate part the math
     * units, not the feed, bound a well-tiled GEMM.
     */
    public double tensorFeedFlops() {
        return Math.max(bf16DenseFlops, fp16AccumulateDenseFlops);
    }

    public boolean hasFp8() {
        return fp8DenseFlops > 0;
    }

    public boolean hasFp4() {
        return fp4DenseFlops > 0;
    }
}
