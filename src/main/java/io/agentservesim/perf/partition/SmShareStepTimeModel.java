package io.agentservesim.perf.partition;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;

/**
 * Step time of a batch that runs on a share of a GPU's SMs while another partition runs beside it, as CUDA green
 * contexts split a GPU (AgentServe, arXiv 2603.10342: pre-made slots of 10 %, 20 %, ..., 100 % of the SMs).
 *
 * <p>The roofline ({@link RooflineStepTimeModel}) is priced on a GPU cut down to the partition: its tensor FLOP/s
 * and its SM count (the waves of every kernel) scale with the share {@code s}; its memory bandwidth is
 * {@code min(B, s × N × b_sm)}, because an SM can keep only so many bytes in flight and by Little's law its
 * bandwidth is those bytes over the DRAM latency ({@code b_sm}, {@link #DEFAULT_SM_BANDWIDTH}). So a
 * memory-bound batch (decode: weights and KV streamed once per token) keeps full speed down to the saturation
 * share {@code B / (N × b_sm)} and slows gently below it, while a compute-bound one (a long prefill) slows as
 * {@code 1/s} from the start. Both partitions read the same HBM: a partition gets at most what the other one's
 * step in flight leaves, {@code B − bytes_other / t_other}, and never less than its share {@code s × B}.
 *
 * <p>The answer is the base model's step time (operator profile or roofline) times the roofline's ratio
 * {@code roofline(batch, s, bandwidth) / roofline(batch, 100 %, B)}, so at 100 % with the whole bandwidth it is
 * exactly the base model's time. The partitions share one KV pool (the engine's), which this class does not see.
 * Left out: L2 contention between partitions, clock changes with power draw, the green-context switch cost.
 */
public final class SmShareStepTimeModel {
    /** Slots of 10 % of the SMs each, as AgentServe pre-creates them. */
    public static final int SLOTS = 10;
    /**
     * Bytes/s one SM can pull from DRAM: by Little's law ~32 KiB in flight per SM (a streaming GEMV or
     * split-KV attention kernel: 4 cp.async stages of 8 KiB) over a loaded DRAM latency of ~800 ns, 41 GB/s.
     * With it an RTX 4090 (1,008 GB/s, 128 SMs) saturates its bandwidth at 19 % of its SMs, an RTX A5000
     * (768 GB/s, 64 SMs) at 29 %, an RTX 5090 (1,792 GB/s, 170 SMs) at 26 %.
     */
    public static final double DEFAULT_SM_BANDWIDTH = 32.0 * 1024 / 800e-9;
    /** Bandwidth buckets of 1/20 of the peak: roofline models are built once per (slot, bucket). */
    private static final int BW_BUCKETS = 20;

    private final StepTimeModel base;
    private final GpuSpec gpu;
    private final ModelShape model;
    private final int tp;
    private final RooflineEfficiency efficiency;
    private final int[] captureSizes;
    private final double smBandwidth;
    private final RooflineStepTimeModel full;
    private final RooflineStepTimeModel[][] cut = new RooflineStepTimeModel[SLOTS + 1][BW_BUCKETS + 1];
    private final double weightBytes;
    private final double kvBytesPerToken;

    public SmShareStepTimeModel(StepTimeModel base, GpuSpec gpu, ModelShape model, int tp, RooflineEfficiency efficiency,
                                int[] captureSizes, double smBandwidth) {
        if (!(smBandwidth > 0)) {
            throw new IllegalArgumentException("per-SM bandwidth must be > 0, got " + smBandwidth);
        }
        this.base = base;
        this.gpu = gpu;
        this.model = model;
        this.tp = tp;
        this.efficiency = efficiency;
        this.captureSizes = captureSizes;
        this.smBandwidth = smBandwidth;
        this.full = new RooflineStepTimeModel(gpu, model, tp, efficiency, captureSizes);
        this.weightBytes = (double) model.weightBytes() / tp;
        this.kvBytesPerToken = (double) model.kvBytesPerToken() / tp;
    }

    /** The smallest share of the SMs whose bandwidth reaches the GPU's peak (1 when it never does). */
    public double saturationShare() {
        return Math.min(1.0, gpu.memoryBandwidth() / (gpu.smCount() * smBandwidth));
    }

    /** Bandwidth a partition of {@code slot} tenths of the SMs can pull alone, bytes/s. */
    public double bandwidthCap(int slot) {
        return Math.min(gpu.memoryBandwidth(), slot * 0.1 * gpu.smCount() * smBandwidth);
    }

    /** Peak HBM bandwidth of the whole GPU, bytes/s. */
    public double peakBandwidth() {
        return gpu.memoryBandwidth();
    }

    /**
     * Bandwidth left to a partition of {@code slot} tenths while the other partition's step pulls
     * {@code otherDemand} bytes/s: its own cap, at most the peak less the other's demand, at least its share
     * of the peak.
     */
    public double bandwidthBeside(int slot, double otherDemand) {
        double cap = bandwidthCap(slot);
        return Math.max(Math.min(cap, gpu.memoryBandwidth() - otherDemand), Math.min(cap, slot * 0.1 * gpu.memoryBandwidth()));
    }

    /** The base model's step time: the batch on the whole GPU. */
    public long fullStepTimeNs(BatchShape batch) {
        return base.stepTimeNs(batch);
    }

    /**
     * The batch's step time on {@code slot} tenths of the SMs (1..10) with {@code bandwidth} bytes/s of HBM;
     * the base model's time at 10 tenths and the peak bandwidth.
     */
    public long stepTimeNs(BatchShape batch, int slot, double bandwidth) {
        if (slot < 1 || slot > SLOTS) {
            throw new IllegalArgumentException("slot " + slot + " outside 1.." + SLOTS);
        }
        long t = base.stepTimeNs(batch);
        int bucket = (int) Math.floor(Math.min(1.0, bandwidth / gpu.memoryBandwidth()) * BW_BUCKETS + 1e-9);
        bucket = Math.max(1, bucket);
        if (slot == SLOTS && bucket == BW_BUCKETS || batch.isEmpty()) {
            return t;
        }
        RooflineStepTimeModel m = cut[slot][bucket];
        if (m == null) {
            m = new RooflineStepTimeModel(partition(slot, bucket), model, tp, efficiency, captureSizes);
            cut[slot][bucket] = m;
        }
        double ratio = m.computeUs(batch) / full.computeUs(batch);
        return Math.round(t * ratio);
    }

    /**
     * Bytes a step moves from HBM, for the other partition's share of the bandwidth: the weights once, every
     * sequence's K/V context read and its new tokens' K/V written.
     */
    public double stepBytes(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        double kvTokens = batch.totalTokens();
        for (int i = 0, n = batch.numPrefills(); i < n; i++) {
            kvTokens += batch.prefillKv(i);
        }
        for (int i = 0, n = batch.numDecodes(); i < n; i++) {
            kvTokens += batch.decodeKv(i);
        }
        return weightBytes + kvTokens * kvBytesPerToken;
    }

    /** The GPU cut to {@code slot} tenths of its SMs and FLOP/s and {@code bucket} twentieths of its bandwidth. */
    private GpuSpec partition(int slot, int bucket) {
        double s = slot / (double) SLOTS;
        double bw = Math.min(bandwidthCap(slot), bucket / (double) BW_BUCKETS * gpu.memoryBandwidth());
        return new GpuSpec(gpu.id(), gpu.name() + " @" + slot * 10 + "% SMs", gpu.bf16DenseFlops() * s,
                gpu.fp8DenseFlops() * s, gpu.memoryBytes(), bw, Math.max(1, (int) Math.round(gpu.smCount() * s)),
                gpu.gpuLink(), gpu.gpuLinkBandwidth(), gpu.hostLinkBandwidth(), gpu.idleWatts(), gpu.tdpWatts(),
                gpu.computeCapability(), gpu.fp16AccumulateDenseFlops() * s, gpu.sources(), gpu.gpuP2p(),
                gpu.fp4DenseFlops() * s);
    }

    public String source() {
        return "sm-share(" + base.source() + ")";
    }
}
