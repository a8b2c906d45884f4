package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuSpec;

/**
 * Roofline time of one kernel call on one GPU: {@code max(FLOPs / (peak FLOP/s × f), bytes /
 * (bandwidth × b)) + overhead}, with the achieved fractions and overheads of a {@link RooflineEfficiency}
 * (Williams, Waterman, Patterson, "Roofline: an insightful visual performance model", CACM 2009; the
 * same max(compute, memory) per op as NVIDIA AIConfigurator's empirical fallback and LLMCompass).
 * Times in microseconds. Shared by {@link RooflineStepTimeModel} and the offline calibration
 * ({@code asim calibrate}) so the fitted formula and the simulated one are the same code.
 */
public final class OperatorCosts {
    private final double peakFlops;
    /** The FLOP/s the SM's operand feed is built for ({@link GpuSpec#tensorFeedFlops()}). */
    private final double feedFlops;
    private final double memoryBandwidth;
    private final double linkBandwidth;
    private final GpuSpec.GpuLink link;
    private final boolean p2p;
    private final double smCount;
    private final RooflineEfficiency eff;
    private final VllmAllReduceTable measured;
    /** FP8 / BF16 dense tensor rate (1 where the GPU has no FP8: vLLM then runs FP8 weights weight-only). */
    private final double fp8Speedup;
    /** FP4 / BF16 dense tensor rate (1 before Blackwell: NVFP4 weights then run weight-only). */
    private final double fp4Speedup;

    public OperatorCosts(GpuSpec gpu, RooflineEfficiency eff) {
        this.peakFlops = gpu.bf16DenseFlops();
        this.feedFlops = gpu.tensorFeedFlops();
        this.memoryBandwidth = gpu.memoryBandwidth();
        this.linkBandwidth = gpu.gpuLinkBandwidth();
        this.link = gpu.gpuLink();
        this.p2p = gpu.gpuP2p();
        this.smCount = gpu.smCount();
        this.eff = eff;
        this.measured = VllmAllReduceTable.forGpu(gpu.id());
        this.fp8Speedup = gpu.hasFp8() ? gpu.fp8DenseFlops() / gpu.bf16DenseFlops() : 1.0;
        this.fp4Speedup = gpu.hasFp4() ? gpu.fp4DenseFlops() / gpu.bf16DenseFlops() : 1.0;
    }

    /**
     * How much faster than BF16 a GEMM of weights stored as {@code rate} computes on this GPU: the
     * catalog's dense FP8 or FP4 rate over its BF16 rate, 1 where the GPU lacks that rate (the weights are
     * then dequantized in the kernel, vLLM's Marlin path). The fitted FLOP fractions are applied unchanged:
     * the quantized kernels are assumed to reach the same fraction of their peak as the BF16 ones.
     */
    public double tensorSpeedup(io.agentservesim.model.WeightFormat.TensorRate rate) {
        return switch (rate) {
            case BF16 -> 1.0;
            case FP8 -> fp8Speedup;
            case FP4 -> fp4Speedup;
        };
    }

    /**
     * A GEMM with quantized weights: the k×n weights at {@code weightBytes} per element (scales included),
     * input and output at {@code actBytes}, compute at {@code speedup} × the BF16 roofline (tile and wave
     * quantisation as in {@link #gemmUs(double, double, double, int)}).
     */
    public double gemmUs(double m, double k, double n, double weightBytes, int actBytes, double speedup) {
        double bytes = k * n * weightBytes + (m * k + m * n) * actBytes;
        double compute = m <= 0 ? 0.0 : gemmComputeS(m, k, n) / speedup;
        return Math.max(compute, bytes / (memoryBandwidth * eff.gemmBandwidthFraction())) * 1e6
                + eff.gemmOverheadNs() * 1e-3;
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
    /**
     * FLOP/s of a tensor kernel that reaches {@code fraction} of what the SM's operand feed is built for,
     * never above the math units' own rate. On a part whose FP32-accumulate math runs at the feed's rate
     * this is {@code fraction ×} the BF16 peak; on a GeForce part, whose FP32-accumulate math runs at half
     * the FP16-accumulate rate the feed is built for, the math rate binds first.
     */
    double achievedFlops(double fraction) {
        return Math.min(peakFlops, feedFlops * fraction);
    }

    public double gemmUs(double m, double k, double n, int dtypeBytes) {
        double bytes = (k * n + m * k + m * n) * dtypeBytes;
        double compute = m <= 0 ? 0.0 : gemmComputeS(m, k, n);
        return Math.max(compute, bytes / (memoryBandwidth * eff.gemmBandwidthFraction())) * 1e6
                + eff.gemmOverheadNs() * 1e-3;
    }

    private double gemmComputeS(double m, double k, double n) {
        double minTile = eff.gemmMinTileRows();
        if (minTile <= 0) {
            return 2.0 * m * k * n / achievedFlops(eff.gemmFlopFraction());
        }
        double tm = tileRows(m, minTile);
        double rowTiles = Math.ceil(m / tm);
        double colTiles = Math.ceil(n / TILE_N);
        double tiles = rowTiles * colTiles;
        double splits = Math.max(1.0, Math.floor(smCount / tiles));
        double units = tiles * splits;
        double occupancy = units / (Math.ceil(units / smCount) * smCount);
        double paddedFlops = 2.0 * rowTiles * tm * colTiles * TILE_N * k;
        return paddedFlops / (achievedFlops(eff.gemmFlopFraction()) * occupancy);
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
    public double moeGemmUs(double flops, double bytes, double padding, double speedup) {
        double compute = flops > 0 ? flops * Math.max(1.0, padding) / achievedFlops(eff.moeFlopFraction()) / speedup : 0.0;
        return Math.max(compute, bytes / (memoryBandwidth * eff.moeBandwidthFraction())) * 1e6
                + eff.gemmOverheadNs() * 1e-3;
    }

    public double moeGemmUs(double flops, double bytes, double padding) {
        double compute = flops > 0 ? flops * Math.max(1.0, padding) / achievedFlops(eff.moeFlopFraction()) : 0.0;
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
     * The variable-length forward attention kernel over a batch holding a prefill chunk: {@code blocks}
     * thread blocks, one per (query tile, query head), each on one SM at the attention FLOP fraction of
     * the SM's share of the peak. Compute time is the larger of two wave counts: of the blocks at their
     * mean length ({@code ceil(blocks / SMs)} × mean: a last, partly filled wave leaves SMs idle), and of
     * the work in units of the longest block ({@code ceil(flops / (maxBlockFlops × SMs))} × longest:
     * long decodes among short blocks run side by side, so one of them alone takes its full length
     * and 256 of them on 188 SMs take two).
     * A kernel that launches one block per tile ({@code blockPerTile}) also pays its block setup time
     * ({@code attentionVarlenWaveNs}) once per wave.
     * Memory time reads each sequence's K/V once per query head whose block is not co-resident with its
     * group's others: the grid runs every sequence's tiles of one query head before the next head, so
     * the {@code groupSize} query heads sharing a K/V head (GQA) stream the same K/V together, and hit in
     * L2, only as far as one wave of SMs covers them ({@code SMs / blocksPerHead} heads, 1 to
     * {@code groupSize}). Whichever of compute and memory is longer, plus the kernel overhead.
     *
     * @param kvBytes    K/V context bytes of every sequence, counted once per K/V head
     * @param otherBytes Q read and O written
     */
    public double varlenAttentionUs(double flops, double maxBlockFlops, double blocks, double blocksPerHead,
            double groupSize, double kvBytes, double otherBytes, boolean blockPerTile) {
        double perSm = achievedFlops(eff.attentionFlopFraction()) / smCount;
        double waves = Math.ceil(blocks / smCount);
        double setup = blockPerTile ? eff.attentionVarlenWaveNs() * 1e-9 : 0.0;
        double longWaves = maxBlockFlops > 0 ? Math.ceil(flops / (maxBlockFlops * smCount)) : 0.0;
        double compute = Math.max(longWaves * maxBlockFlops / perSm, waves * (flops / blocks / perSm + setup));
        double headsPerWave = Math.min(groupSize, Math.max(1.0, smCount / blocksPerHead));
        double bytes = kvBytes * groupSize / headsPerWave + otherBytes;
        double us = Math.max(compute, bytes / (memoryBandwidth * eff.attentionPrefillBandwidthFraction())) * 1e6;
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
        double us = Math.max(flops / achievedFlops(eff.attentionFlopFraction()),
                bytes / (memoryBandwidth * eff.attentionDecodeBandwidthFraction())) * 1e6
                + Math.ceil(blocks / smCount) * eff.attentionWaveNs() * 1e-3;
        return us + eff.attentionOverheadNs() * 1e-3;
    }

    private boolean pcie() {
        return link == GpuSpec.GpuLink.PCIE;
    }

    /**
     * vLLM's custom all-reduce limit: {@code CustomAllreduce(max_size=8192 * 1024)} and
     * {@code should_custom_ar}: {@code inp_size < max_size}
     * ({@code vllm/distributed/device_communicators/custom_all_reduce.py}); larger tensors go to NCCL
     * (pynccl).
     */
    public static final double CUSTOM_ALL_REDUCE_MAX_BYTES = 8 * 1024 * 1024;

    /**
     * All-reduce of {@code bytes} over {@code gpus} GPUs of one node as a served vLLM engine runs it:
     * vLLM's own all-reduce as AIConfigurator measured it on this GPU type and count
     * ({@link VllmAllReduceTable}) where it did, else the fitted model of the implementation vLLM picks
     * ({@link #modelAllReduceUs}); 0 on one GPU.
     */
    public double allReduceUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return measured.covers(gpus) ? measured.us(bytes, gpus) : modelAllReduceUs(bytes, gpus);
    }

    /** Whether {@link #allReduceUs} at {@code gpus} GPUs comes from the measured vLLM table. */
    public boolean measuredAllReduce(int gpus) {
        return gpus > 1 && measured.covers(gpus);
    }

    /**
     * The fitted all-reduce in the implementation vLLM picks ({@code CudaCommunicator.all_reduce}): its
     * custom all-reduce ({@link #customAllReduceUs}) when {@link #usesCustomAllReduce} holds, NCCL's ring
     * ({@link #ncclAllReduceUs}) otherwise; 0 on one GPU.
     */
    public double modelAllReduceUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return usesCustomAllReduce(bytes, gpus) ? customAllReduceUs(bytes, gpus) : ncclAllReduceUs(bytes, gpus);
    }

    /**
     * Whether vLLM runs its custom all-reduce for this call ({@code custom_all_reduce.py}): only between
     * GPUs with peer-to-peer access (the {@code _can_p2p} check at start-up; without it "Custom allreduce
     * is disabled because your platform lacks GPU P2P capability" and every call goes to NCCL: GeForce
     * cards, {@link GpuSpec#gpuP2p()}), on a supported world size (2, 4, 6, 8:
     * {@code CustomAllreduce._SUPPORTED_WORLD_SIZES}), either fully NVLink-connected or exactly two GPUs
     * ("not supported on more than two PCIe-only GPUs"; {@code should_custom_ar}: {@code world_size == 2 or
     * fully_connected}), and below {@link #CUSTOM_ALL_REDUCE_MAX_BYTES}. Not modelled: the torch
     * symmetric-memory all-reduce that vLLM &ge; 0.11 runs between a lowered custom limit and 64-128 MiB
     * on Hopper and Blackwell NVLink (the measured table includes it; VALIDATION.md, Collectives).
     */
    public boolean usesCustomAllReduce(double bytes, int gpus) {
        boolean supported = gpus == 2 || gpus == 4 || gpus == 6 || gpus == 8;
        return p2p && supported && bytes < CUSTOM_ALL_REDUCE_MAX_BYTES && (gpus == 2 || link == GpuSpec.GpuLink.NVLINK);
    }

    /**
     * vLLM's custom all-reduce (one-shot or two-shot kernel over P2P buffers): every GPU moves
     * 2(N−1)/N × bytes over its link, the bandwidth term of a ring all-reduce (Patarasuk and Yuan,
     * "Bandwidth optimal all-reduce algorithms", JPDC 2009), at the fitted link fraction, plus a fixed
     * latency that does not grow with N (one or two steps, whatever the GPU count).
     */
    public double customAllReduceUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return 2.0 * (gpus - 1) / gpus * bytes / (linkBandwidth * eff.linkBandwidthFraction()) * 1e6
                + eff.allReduceLatencyNs() * 1e-3;
    }

    /**
     * NCCL's ring all-reduce: the same 2(N−1)/N × bytes per GPU, with NCCL's protocol choice, 2(N−1)
     * ring steps and (PCIe) the shared fabric ({@link NcclFactors}).
     */
    public double ncclAllReduceUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return eff.ncclAllReduce().us(2.0 * (gpus - 1) / gpus * bytes, 2 * (gpus - 1), gpus, linkBandwidth, pcie());
    }

    /**
     * One phase (dispatch or combine) of an expert-parallel all-to-all over {@code gpus} GPUs, where the
     * busiest GPU holds {@code bytes} of token activations to exchange: the share (N−1)/N that goes to or
     * comes from the other GPUs crosses its link, all peers at once (NVSwitch, or PCIe switches bounded
     * by their shared fabric), priced as NCCL's grouped send/receive with N−1 peer steps
     * ({@link NcclFactors}, fitted on nccl-tests {@code alltoall_perf}, whose size is each rank's whole
     * send buffer). DeepSpeed-MoE (Rajbhandari et al., ICML 2022, §5) and vLLM's all2all backends
     * ({@code vllm/distributed/device_communicators/all2all.py}) send every routed token's hidden
     * vector to the GPU of its expert and back: bytes = pairs × hidden × dtype. 0 on one GPU.
     */
    public double allToAllUs(double bytes, int gpus) {
        if (gpus <= 1) {
            return 0.0;
        }
        return eff.allToAll().us((gpus - 1.0) / gpus * bytes, gpus - 1, gpus, linkBandwidth, pcie());
    }

    /**
     * NCCL's ring all-gather among {@code gpus} GPUs where the busiest GPU receives {@code wireBytes} from
     * the others (for equal shares (N−1)/N of the gathered tensor; for unequal ones, vLLM's
     * {@code all_gatherv}, all but the smallest share). A ring all-reduce is a reduce-scatter followed by
     * an all-gather (Patarasuk and Yuan, JPDC 2009), so each half moves (N−1)/N of the bytes in N−1 ring
     * steps with the same kernels and protocols: priced with the all-reduce's NCCL factors
     * ({@link NcclFactors}, fitted on nccl-tests {@code all_reduce_perf}). 0 on one GPU.
     */
    public double ncclAllGatherUs(double wireBytes, int gpus) {
        if (gpus <= 1 || wireBytes <= 0) {
            return 0.0;
        }
        return eff.ncclAllReduce().us(wireBytes, gpus - 1, gpus, linkBandwidth, pcie());
    }

    /** NCCL's ring reduce-scatter: the mirror of {@link #ncclAllGatherUs}, priced the same way. */
    public double ncclReduceScatterUs(double wireBytes, int gpus) {
        return ncclAllGatherUs(wireBytes, gpus);
    }

    /**
     * A point-to-point send of {@code bytes} between two pipeline stages over the GPU link. vLLM sends
     * pipeline activations with NCCL send/receive (pynccl), the transport of NCCL's all-to-all, so it is
     * priced with the all-to-all factors for one peer: two GPUs, one step, all bytes on the link.
     */
    public double p2pUs(double bytes) {
        if (bytes <= 0) {
            return 0.0;
        }
        return eff.allToAll().us(bytes, 1, 2, linkBandwidth, pcie());
    }
}
