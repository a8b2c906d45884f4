package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuSpec;

/**
 * Roofline time of one kernel call on one GPU: {@code max(FLOPs / (peak FLOP/s × f), bytes /
 * (bandwidth × b)) + overhead}, with the achieved fractions and overheads of a {@link RooflineEfficiency}
 * (Williams, Waterman, Patterson, "Roofline: an insightful visual performance model", CACM 2009; the
 * same max(compute, memory) per op as NVIDIA AIConfigurator's empirical fallback and LLMCompass).
 * Times in microseconds. Shared by {@link RooflineStepTimeModel} and {@link RooflineCalibration} so the
 * fitted formula and the simulated one are the same code.
 */
public final class OperatorCosts {
    private final double peakFlops;
    private final double memoryBandwidth;
    private final double linkBandwidth;
    private final double smCount;
    private final RooflineEfficiency eff;

    public OperatorCosts(GpuSpec gpu, RooflineEfficiency eff) {
        this.peakFlops = gpu.bf16DenseFlops();
        this.memoryBandwidth = gpu.memoryBandwidth();
        this.linkBandwidth = gpu.gpuLinkBandwidth();
        this.smCount = gpu.smCount();
        this.eff = eff;
    }

    public RooflineEfficiency efficiency() {
        return eff;
    }

    /** Output-tile width (columns of n) of the BF16 tensor-core GEMM kernels cuBLAS/CUTLASS pick on Ampere to Blackwell. */
    private static final double TILE_N = 128.0;
    /** Largest output-tile height (rows of m); small m gets shorter tiles, down to the fitted minimum. */
    private static final double TILE_M_MAX = 128.0;

    /**
     * C[m,n] = A[m,k] × B[k,n] in {@code dtypeBytes}: the longer of its compute and its memory time,
     * plus a per-call overhead.
     * <ul>
     *   <li>Compute: the kernel covers C with tiles of {@code tm × 128}, tm = the power of two ≥ m
     *       clamped to [{@code gemmMinTileRows}, 128], and every tile does its full 2·tm·128·k FLOPs
     *       however few of its rows are real (tile quantisation). The tiles run on the SMs in waves:
     *       with fewer tiles than SMs the library splits k (split-K / stream-K) so that
     *       floor(SMs / tiles) SMs share each tile; a last, partly filled wave leaves SMs idle. Each
     *       busy SM runs at its share (1/SMs) of the peak times the FLOP fraction. This is why a GPU
     *       with many fast SMs needs a larger m to approach its peak than one with few slow SMs.</li>
     *   <li>Memory: the k×n weights, the m×k input and the m×n output once, at the bandwidth fraction
     *       (the whole time at small m, where the weight read dominates).</li>
     * </ul>
     * With {@code gemmMinTileRows} 0 the compute time is the exact 2mkn FLOPs at the FLOP fraction.
     */
    public double gemmUs(double m, double k, double n, int dtypeBytes) {
        double bytes = (k * n + m * k + m * n) * dtypeBytes;
        double compute = m <= 0 ? 0.0 : gemmComputeS(m, k, n);
        return Math.max(compute, bytes / (memoryBandwidth * eff.gemmBandwidthFraction())) * 1e6
                + eff.gemmOverheadNs() * 1e-3;
    }

    private double gemmComputeS(double m, double k, double n) {
        double minTile = eff.gemmMinTileRows();
        if (minTile <= 0) {
            return 2.0 * m * k * n / (peakFlops * eff.gemmFlopFraction());
        }
        double tm = tileRows(m, minTile);
        double rowTiles = Math.ceil(m / tm);
        double colTiles = Math.ceil(n / TILE_N);
        double tiles = rowTiles * colTiles;
        double splits = Math.max(1.0, Math.floor(smCount / tiles));
        double units = tiles * splits;
        double occupancy = units / (Math.ceil(units / smCount) * smCount);
        double paddedFlops = 2.0 * rowTiles * tm * colTiles * TILE_N * k;
        return paddedFlops / (peakFlops * eff.gemmFlopFraction() * occupancy);
    }

    /** Tile height for m rows: the next power of two ≥ m, within [minTile, 128]. */
    private static double tileRows(double m, double minTile) {
        long rows = (long) Math.ceil(m);
        double pow2 = rows <= 1 ? 1.0 : (double) (Long.highestOneBit(rows - 1) << 1);
        return Math.min(TILE_M_MAX, Math.max(minTile, pow2));
    }

    /**
     * Tile height the fused-MoE kernel pads each expert's rows to, for experts of about {@code rows}
     * rows: the same power-of-two rule as a dense GEMM's (clamped to [{@code gemmMinTileRows}, 128]);
     * vLLM's tuned Triton configs grow BLOCK_SIZE_M with the batch in the same way. 0 when the GEMM
     * factors are ideal ({@code gemmMinTileRows} 0: no padding).
     */
    public double moeTileRows(double rows) {
        double minTile = eff.gemmMinTileRows();
        return minTile <= 0 || rows <= 0 ? 0.0 : tileRows(rows, minTile);
    }

    /**
     * One launch of vLLM's Triton fused-MoE grouped GEMM ({@code fused_moe_kernel}): {@code flops} of
     * real token-expert rows, scaled by {@code padding} (padded rows / real rows), at the MoE FLOP fraction,
     * or {@code bytes} (expert weights, gathered inputs, outputs) at the MoE bandwidth fraction, whichever
     * is longer, plus one kernel launch (the GEMM overhead).
     */
    public double moeGemmUs(double flops, double bytes, double padding) {
        double compute = flops > 0 ? flops * Math.max(1.0, padding) / (peakFlops * eff.moeFlopFraction()) : 0.0;
        return Math.max(compute, bytes / (memoryBandwidth * eff.moeBandwidthFraction())) * 1e6
                + eff.gemmOverheadNs() * 1e-3;
    }

    /**
     * One launch of a streaming kernel of the fused-MoE layer (activation, zero-fill, top-k sum) moving
     * {@code bytes} through device memory: at the MoE bandwidth fraction, but never faster than
     * {@code moeSmBandwidthGbps} per SM (few bytes in flight per SM: Little's law), plus one kernel launch.
     */
    public double moeStreamUs(double bytes) {
        double bandwidth = Math.min(memoryBandwidth * eff.moeBandwidthFraction(), smCount * eff.moeSmBandwidthGbps() * 1e9);
        return bytes / bandwidth * 1e6 + eff.gemmOverheadNs() * 1e-3;
    }

    /** A memory-bound elementwise kernel (norm, rotary, activation, embedding gather) moving {@code bytes}. */
    public double elementwiseUs(double bytes) {
        return bytes / (memoryBandwidth * eff.elementwiseBandwidthFraction()) * 1e6 + eff.elementwiseOverheadNs() * 1e-3;
    }

    /** The sampler over {@code logitBytes} of fp32 logits (softmax, top-k/top-p, argmax: several passes). */
    public double samplerUs(double logitBytes) {
        return logitBytes / (memoryBandwidth * eff.samplerBandwidthFraction()) * 1e6 + eff.samplerOverheadNs() * 1e-3;
    }

    /**
     * The variable-length forward attention kernel (FlashAttention-2, Dao 2023) over a batch holding a
     * prefill chunk: {@code flops} of padded 128-row query tiles run at the attention FLOP fraction
     * scaled by wave occupancy ({@code blocks / (waves × SMs)}: a last, partly filled wave of thread
     * blocks leaves SMs idle), or {@code bytes} at the varlen bandwidth fraction, whichever is longer.
     */
    public double varlenAttentionUs(double flops, double bytes, double blocks) {
        double occupancy = blocks / (Math.ceil(blocks / smCount) * smCount);
        double us = Math.max(flops / (peakFlops * eff.attentionFlopFraction() * occupancy),
                bytes / (memoryBandwidth * eff.attentionPrefillBandwidthFraction())) * 1e6;
        return us + eff.attentionOverheadNs() * 1e-3;
    }

    /**
     * The split-KV decode kernel over a pure-decode batch: KV read at the decode bandwidth fraction (or
     * its FLOPs at the attention FLOP fraction), plus a minimum time per wave of (sequence, KV head)
     * blocks.
     */
    public double decodeAttentionUs(double flops, double bytes, double blocks) {
        if (flops <= 0) {
            return 0.0;
        }
        double us = Math.max(flops / (peakFlops * eff.attentionFlopFraction()),
                bytes / (memoryBandwidth * eff.attentionDecodeBandwidthFraction())) * 1e6
                + Math.ceil(blocks / smCount) * eff.attentionWaveNs() * 1e-3;
        return us + eff.attentionOverheadNs() * 1e-3;
    }

    /**
     * Ring all-reduce of {@code bytes} over {@code gpus} GPUs: each GPU sends and receives
     * 2(N−1)/N × bytes over its link (Patarasuk and Yuan, "Bandwidth optimal all-reduce algorithms",
     * JPDC 2009), plus a fixed latency; 0 on one GPU.
     */
    public double allReduceUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return 2.0 * (gpus - 1) / gpus * bytes / (linkBandwidth * eff.linkBandwidthFraction()) * 1e6
                + eff.allReduceLatencyNs() * 1e-3;
    }
    /**
     * One phase (dispatch or combine) of an expert-parallel all-to-all over {@code gpus} GPUs, where the
     * busiest GPU receives {@code bytes} of token activations from all GPUs: the share (N−1)/N that comes
     * from the other GPUs crosses its link, plus one collective latency (the all-reduce latency of the
     * same link, as one NCCL/custom collective launch). DeepSpeed-MoE (Rajbhandari et al., ICML 2022,
     * §5) and vLLM's all2all backends ({@code vllm/distributed/device_communicators/all2all.py}) send
     * every routed token's hidden vector to the GPU of its expert and back: bytes = pairs × hidden ×
     * dtype. 0 on one GPU.
     */
    public double allToAllUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return (gpus - 1.0) / gpus * bytes / (linkBandwidth * eff.linkBandwidthFraction()) * 1e6
                + eff.allReduceLatencyNs() * 1e-3;
    }

    /**
     * A point-to-point send of {@code bytes} between two pipeline stages over the GPU link: bytes over
     * the achieved link bandwidth plus one collective latency.
     */
    public double p2pUs(double bytes) {
        if (bytes <= 0) {
            return 0.0;
        }
        return bytes / (linkBandwidth * eff.linkBandwidthFraction()) * 1e6 + eff.allReduceLatencyNs() * 1e-3;
    }
}
