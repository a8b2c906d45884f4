package io.agentservesim.perf.roofline;

/**
 * How much of a GPU's published peak a serving engine actually achieves, per operator class, plus the
 * fixed costs a roofline leaves out. Fractions are of {@code GpuSpec} peaks (dense BF16 FLOP/s, memory
 * bandwidth, GPU link bandwidth); overheads are nanoseconds per kernel call. Fitted by
 * {@link RooflineCalibration} and read from {@code roofline-calibration.yaml} by {@link RooflineFactors}.
 *
 * @param gemmFlopFraction             achieved fraction of peak FLOP/s in the linear layers (and lm_head, MoE experts)
 * @param gemmBandwidthFraction        achieved fraction of memory bandwidth when a GEMM streams its weights
 * @param gemmOverheadNs               fixed cost per GEMM call (launch and dispatch; eager mode)
 * @param elementwiseBandwidthFraction achieved bandwidth fraction of norms, rotary, activation, embedding
 * @param elementwiseOverheadNs        fixed cost per elementwise kernel call
 * @param attentionFlopFraction        achieved FLOP/s fraction of attention over prefill chunks
 * @param attentionBandwidthFraction   achieved bandwidth fraction reading KV (decode and prefill context)
 * @param attentionOverheadNs          fixed cost of the attention call of one layer
 * @param attentionWaveNs              minimum time of one wave of decode thread blocks (one block per
 *                                     sequence and KV head): decode attention of many short contexts is
 *                                     bound by block count, not bytes
 * @param samplerBandwidthFraction     bandwidth fraction of the sampler over fp32 logits (below 1 = several passes)
 * @param linkBandwidthFraction        achieved fraction of the GPU link bandwidth in a ring all-reduce
 * @param allReduceLatencyNs           fixed cost of one all-reduce
 * @param stepOverheadNs               fixed GPU-side cost per step outside the operators
 */
public record RooflineEfficiency(
        double gemmFlopFraction,
        double gemmBandwidthFraction,
        double gemmOverheadNs,
        double elementwiseBandwidthFraction,
        double elementwiseOverheadNs,
        double attentionFlopFraction,
        double attentionBandwidthFraction,
        double attentionOverheadNs,
        double attentionWaveNs,
        double samplerBandwidthFraction,
        double linkBandwidthFraction,
        double allReduceLatencyNs,
        double stepOverheadNs) {

    /**
     * Uncalibrated defaults: NVIDIA AIConfigurator's empirical memory factor (0.8) and 3 µs constant
     * latency, 70 % of peak FLOP/s, the 10 µs p2p latency AIConfigurator assumes. Used only where no
     * calibration applies.
     */
    public static final RooflineEfficiency DEFAULTS = new RooflineEfficiency(
            0.7, 0.8, 3_000, 0.8, 3_000, 0.5, 0.8, 8_000, 2_000, 0.5, 0.8, 10_000, 0);

    public RooflineEfficiency {
        fraction("gemmFlopFraction", gemmFlopFraction);
        fraction("gemmBandwidthFraction", gemmBandwidthFraction);
        fraction("elementwiseBandwidthFraction", elementwiseBandwidthFraction);
        fraction("attentionFlopFraction", attentionFlopFraction);
        fraction("attentionBandwidthFraction", attentionBandwidthFraction);
        fraction("samplerBandwidthFraction", samplerBandwidthFraction);
        fraction("linkBandwidthFraction", linkBandwidthFraction);
        nonNegative("gemmOverheadNs", gemmOverheadNs);
        nonNegative("elementwiseOverheadNs", elementwiseOverheadNs);
        nonNegative("attentionOverheadNs", attentionOverheadNs);
        nonNegative("attentionWaveNs", attentionWaveNs);
        nonNegative("allReduceLatencyNs", allReduceLatencyNs);
        nonNegative("stepOverheadNs", stepOverheadNs);
    }

    private static void fraction(String what, double v) {
        if (!(v > 0 && v <= 1.5)) {
            throw new IllegalArgumentException(what + " must be in (0, 1.5], got " + v);
        }
    }

    private static void nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
    }

    public RooflineEfficiency withGemm(double flops, double bandwidth, double overheadNs) {
        return new RooflineEfficiency(flops, bandwidth, overheadNs, elementwiseBandwidthFraction, elementwiseOverheadNs,
                attentionFlopFraction, attentionBandwidthFraction, attentionOverheadNs, attentionWaveNs, samplerBandwidthFraction,
                linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs);
    }

    public RooflineEfficiency withElementwise(double bandwidth, double overheadNs, double sampler) {
        return new RooflineEfficiency(gemmFlopFraction, gemmBandwidthFraction, gemmOverheadNs, bandwidth, overheadNs,
                attentionFlopFraction, attentionBandwidthFraction, attentionOverheadNs, attentionWaveNs, sampler,
                linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs);
    }

    public RooflineEfficiency withAttention(double flops, double bandwidth, double overheadNs, double waveNs) {
        return new RooflineEfficiency(gemmFlopFraction, gemmBandwidthFraction, gemmOverheadNs,
                elementwiseBandwidthFraction, elementwiseOverheadNs, flops, bandwidth, overheadNs, waveNs,
                samplerBandwidthFraction, linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs);
    }

    public RooflineEfficiency withLink(double bandwidth, double latencyNs) {
        return new RooflineEfficiency(gemmFlopFraction, gemmBandwidthFraction, gemmOverheadNs,
                elementwiseBandwidthFraction, elementwiseOverheadNs, attentionFlopFraction, attentionBandwidthFraction,
                attentionOverheadNs, attentionWaveNs, samplerBandwidthFraction, bandwidth, latencyNs, stepOverheadNs);
    }
}
