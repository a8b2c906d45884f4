package io.agentservesim.perf.roofline;

/**
 * How much of a GPU's published peak a serving engine actually achieves, per operator class, plus the
 * fixed costs a roofline leaves out. Fractions are of {@code GpuSpec} peaks (dense BF16 FLOP/s, memory
 * bandwidth, GPU link bandwidth); overheads are nanoseconds per kernel call. Fitted offline by
 * {@code asim calibrate} ({@code io.agentservesim.calibrate.RooflineCalibration}) and read from
 * {@code roofline-calibration.yaml} by {@link RooflineFactors}.
 *
 * @param gemmFlopFraction             achieved fraction of peak FLOP/s of a large GEMM (linear layers, lm_head, experts)
 * @param gemmMinTileRows              smallest output-tile height (rows of m) the GEMM library picks for a
 *                                     small m; tiles are {@code clamp(nextPow2(m), this, 128)} × 128 and
 *                                     their padded FLOPs are priced over the SMs they occupy
 *                                     ({@link OperatorCosts#gemmUs(double, double, double, int)}); 0 = an
 *                                     ideal GEMM, its exact FLOPs at the FLOP fraction
 * @param gemmBandwidthFraction        achieved fraction of memory bandwidth when a GEMM streams its weights
 * @param gemmOverheadNs               fixed cost per GEMM call (launch and dispatch; eager mode)
 * @param elementwiseBandwidthFraction achieved bandwidth fraction of norms, rotary, activation, embedding
 *                                     (may exceed 1: activations of a 2k-token step stay in L2)
 * @param elementwiseOverheadNs        fixed cost per elementwise kernel call
 * @param attentionFlopFraction        achieved FLOP/s fraction of attention over prefill chunks
 * @param attentionPrefillBandwidthFraction achieved bandwidth reading a prefill chunk's cached context
 *                                     (varlen forward kernel: parallel over query tiles only)
 * @param attentionDecodeBandwidthFraction  achieved bandwidth reading decode contexts (split-KV decode kernel)
 * @param attentionOverheadNs          fixed cost of the attention call of one layer
 * @param attentionWaveNs              minimum time of one wave of decode thread blocks (one block per
 *                                     sequence and KV head): many short contexts are bound by block count
 * @param attentionVarlenWaveNs        setup time per wave of the FlashAttention-2 varlen kernel's thread blocks
 *                                     (one block per query tile and head, each loading its Q tile and page
 *                                     table before its first key): a different kernel from the decode one
 * @param samplerBandwidthFraction     bandwidth fraction of the sampler over fp32 logits (below 1 = several passes)
 * @param samplerOverheadNs            fixed cost of the sampler (several small kernels)
 * @param linkBandwidthFraction        achieved fraction of the GPU link bandwidth in vLLM's custom all-reduce
 *                                     (the regime vLLM uses below its size limit, {@link OperatorCosts#allReduceUs})
 * @param allReduceLatencyNs           fixed cost of one custom all-reduce
 * @param stepOverheadNs               fixed GPU-side cost per step outside the operators
 * @param moeFlopFraction              achieved fraction of peak FLOP/s of vLLM's Triton fused-MoE grouped
 *                                     GEMMs ({@link FusedMoeKernel}); below the GEMM fraction on GPUs where
 *                                     cuBLAS uses TMA/warp-specialised tensor-core pipelines
 * @param moeBandwidthFraction         achieved fraction of memory bandwidth of the fused-MoE kernels: the
 *                                     grouped GEMMs' expert-weight stream and the streaming passes
 * @param moeSmBandwidthGbps           per-SM ceiling, in GB/s, on the streaming passes of the fused-MoE
 *                                     layer over all token-expert pairs (activation, zero-fill, top-k sum):
 *                                     their achieved bandwidth is min(bandwidth × moeBandwidthFraction,
 *                                     SMs × this), Little's law with few bytes in flight per SM
 * @param ncclAllReduce                NCCL's ring all-reduce (above vLLM's custom all-reduce limit, or where
 *                                     vLLM disables it)
 * @param allToAll                     NCCL's all-to-all (grouped send/receive), priced for expert parallelism
 */
public record RooflineEfficiency(
        double gemmFlopFraction,
        double gemmMinTileRows,
        double gemmBandwidthFraction,
        double gemmOverheadNs,
        double elementwiseBandwidthFraction,
        double elementwiseOverheadNs,
        double attentionFlopFraction,
        double attentionPrefillBandwidthFraction,
        double attentionDecodeBandwidthFraction,
        double attentionOverheadNs,
        double attentionWaveNs,
        double attentionVarlenWaveNs,
        double samplerBandwidthFraction,
        double samplerOverheadNs,
        double linkBandwidthFraction,
        double allReduceLatencyNs,
        double stepOverheadNs,
        double moeFlopFraction,
        double moeBandwidthFraction,
        double moeSmBandwidthGbps,
        NcclFactors ncclAllReduce,
        NcclFactors allToAll) {

    /**
     * Uncalibrated defaults: NVIDIA AIConfigurator's empirical memory factor (0.8) and 3 µs constant
     * latency, 70 % of peak FLOP/s, the 10 µs p2p latency AIConfigurator assumes; the MoE kernel at the
     * same 70 % and 0.8 of bandwidth, its streaming passes capped at 20 GB/s per SM (an H100's 0.8 × 3.35
     * TB/s over its 132 SMs, so the cap starts to bind just above H100-class bandwidth per SM). Used only
     * where no calibration applies, and as the start of the fit.
     */
    public static final RooflineEfficiency DEFAULTS = new RooflineEfficiency(
            0.7, 16, 0.8, 3_000, 0.8, 3_000, 0.5, 0.3, 0.8, 3_000, 3_000, 3_000, 0.5, 3_000, 0.8, 10_000, 0, 0.7, 0.8,
            20);

    /** MoE factors of {@link #DEFAULTS}: what a factor set written before the fused-MoE model gets. */
    static final double[] DEFAULT_MOE = {0.7, 0.8, 20};

    public RooflineEfficiency {
        fraction("gemmFlopFraction", gemmFlopFraction);
        fraction("gemmBandwidthFraction", gemmBandwidthFraction);
        fraction("elementwiseBandwidthFraction", elementwiseBandwidthFraction);
        fraction("attentionFlopFraction", attentionFlopFraction);
        fraction("attentionPrefillBandwidthFraction", attentionPrefillBandwidthFraction);
        fraction("attentionDecodeBandwidthFraction", attentionDecodeBandwidthFraction);
        fraction("samplerBandwidthFraction", samplerBandwidthFraction);
        fraction("linkBandwidthFraction", linkBandwidthFraction);
        fraction("moeFlopFraction", moeFlopFraction);
        fraction("moeBandwidthFraction", moeBandwidthFraction);
        if (!(moeSmBandwidthGbps > 0) || Double.isInfinite(moeSmBandwidthGbps)) {
            throw new IllegalArgumentException("moeSmBandwidthGbps must be > 0, got " + moeSmBandwidthGbps);
        }
        nonNegative("gemmMinTileRows", gemmMinTileRows);
        nonNegative("gemmOverheadNs", gemmOverheadNs);
        nonNegative("elementwiseOverheadNs", elementwiseOverheadNs);
        nonNegative("attentionOverheadNs", attentionOverheadNs);
        nonNegative("attentionWaveNs", attentionWaveNs);
        nonNegative("attentionVarlenWaveNs", attentionVarlenWaveNs);
        nonNegative("samplerOverheadNs", samplerOverheadNs);
        nonNegative("allReduceLatencyNs", allReduceLatencyNs);
        nonNegative("stepOverheadNs", stepOverheadNs);
        if (ncclAllReduce == null || allToAll == null) {
            throw new IllegalArgumentException("NCCL factors must not be null");
        }
    }

    /**
     * The factors without NCCL entries: NCCL all-reduce and all-to-all are priced as one ring with the
     * custom all-reduce's link fraction and latency ({@link NcclFactors#ring}), the form used before the
     * NCCL regime existed, so an old calibration gives the same times.
     */
    public RooflineEfficiency(double gemmFlopFraction, double gemmMinTileRows, double gemmBandwidthFraction,
            double gemmOverheadNs, double elementwiseBandwidthFraction, double elementwiseOverheadNs,
            double attentionFlopFraction, double attentionPrefillBandwidthFraction,
            double attentionDecodeBandwidthFraction, double attentionOverheadNs, double attentionWaveNs,
            double attentionVarlenWaveNs, double samplerBandwidthFraction, double samplerOverheadNs,
            double linkBandwidthFraction, double allReduceLatencyNs, double stepOverheadNs, double moeFlopFraction,
            double moeBandwidthFraction, double moeSmBandwidthGbps) {
        this(gemmFlopFraction, gemmMinTileRows, gemmBandwidthFraction, gemmOverheadNs, elementwiseBandwidthFraction,
                elementwiseOverheadNs, attentionFlopFraction, attentionPrefillBandwidthFraction,
                attentionDecodeBandwidthFraction, attentionOverheadNs, attentionWaveNs, attentionVarlenWaveNs,
                samplerBandwidthFraction, samplerOverheadNs, linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs,
                moeFlopFraction, moeBandwidthFraction, moeSmBandwidthGbps,
                ringOf(linkBandwidthFraction, allReduceLatencyNs), ringOf(linkBandwidthFraction, allReduceLatencyNs));
    }

    /** As above, with one wave time for both attention kernels (the form before they were told apart). */
    public RooflineEfficiency(double gemmFlopFraction, double gemmMinTileRows, double gemmBandwidthFraction,
            double gemmOverheadNs, double elementwiseBandwidthFraction, double elementwiseOverheadNs,
            double attentionFlopFraction, double attentionPrefillBandwidthFraction,
            double attentionDecodeBandwidthFraction, double attentionOverheadNs, double attentionWaveNs,
            double samplerBandwidthFraction, double samplerOverheadNs, double linkBandwidthFraction,
            double allReduceLatencyNs, double stepOverheadNs, double moeFlopFraction, double moeBandwidthFraction,
            double moeSmBandwidthGbps) {
        this(gemmFlopFraction, gemmMinTileRows, gemmBandwidthFraction, gemmOverheadNs, elementwiseBandwidthFraction,
                elementwiseOverheadNs, attentionFlopFraction, attentionPrefillBandwidthFraction,
                attentionDecodeBandwidthFraction, attentionOverheadNs, attentionWaveNs, attentionWaveNs,
                samplerBandwidthFraction, samplerOverheadNs, linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs,
                moeFlopFraction, moeBandwidthFraction, moeSmBandwidthGbps);
    }

    /** As above, with the default MoE factors ({@link #DEFAULT_MOE}): a factor set of dense models only. */
    public RooflineEfficiency(double gemmFlopFraction, double gemmMinTileRows, double gemmBandwidthFraction,
            double gemmOverheadNs, double elementwiseBandwidthFraction, double elementwiseOverheadNs,
            double attentionFlopFraction, double attentionPrefillBandwidthFraction,
            double attentionDecodeBandwidthFraction, double attentionOverheadNs, double attentionWaveNs,
            double samplerBandwidthFraction, double samplerOverheadNs, double linkBandwidthFraction,
            double allReduceLatencyNs, double stepOverheadNs) {
        this(gemmFlopFraction, gemmMinTileRows, gemmBandwidthFraction, gemmOverheadNs, elementwiseBandwidthFraction,
                elementwiseOverheadNs, attentionFlopFraction, attentionPrefillBandwidthFraction,
                attentionDecodeBandwidthFraction, attentionOverheadNs, attentionWaveNs, samplerBandwidthFraction,
                samplerOverheadNs, linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs, DEFAULT_MOE[0], DEFAULT_MOE[1],
                DEFAULT_MOE[2]);
    }

    /** The pre-NCCL ring; a bad fraction is left to the canonical constructor's message. */
    private static NcclFactors ringOf(double fraction, double latencyNs) {
        return fraction > 0 && fraction <= 1.5 && latencyNs >= 0 && !Double.isInfinite(latencyNs)
                ? NcclFactors.ring(fraction, latencyNs) : null;
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

    /**
     * The 20 scalar fields in declaration order (the calibration file's order, {@link RooflineFactors#FIELDS});
     * NCCL factors apart. With {@link #fromArray} and {@link #with(int, double...)} this is the parameter
     * vector the offline calibration ({@code io.agentservesim.calibrate}) fits, one block of indices at a time.
     */
    public double[] toArray() {
        return new double[] {gemmFlopFraction, gemmMinTileRows, gemmBandwidthFraction, gemmOverheadNs,
            elementwiseBandwidthFraction, elementwiseOverheadNs, attentionFlopFraction,
            attentionPrefillBandwidthFraction, attentionDecodeBandwidthFraction, attentionOverheadNs, attentionWaveNs,
            attentionVarlenWaveNs, samplerBandwidthFraction, samplerOverheadNs, linkBandwidthFraction, allReduceLatencyNs, stepOverheadNs,
            moeFlopFraction, moeBandwidthFraction, moeSmBandwidthGbps};
    }

    /** The factors of a {@link #toArray()} vector, NCCL factors as one ring with its link fraction and latency. */
    public static RooflineEfficiency fromArray(double[] v) {
        return new RooflineEfficiency(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], v[15], v[16], v[17], v[18], v[19]);
    }

    /** A copy with the scalar fields from index {@code from} on replaced by {@code values}; NCCL factors kept. */
    public RooflineEfficiency with(int from, double... values) {
        double[] v = toArray();
        System.arraycopy(values, 0, v, from, values.length);
        return fromArray(v).withNccl(ncclAllReduce, allToAll);
    }

    /** A copy with these NCCL all-reduce and all-to-all factors. */
    public RooflineEfficiency withNccl(NcclFactors allReduce, NcclFactors allToAllFactors) {
        double[] v = toArray();
        return new RooflineEfficiency(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11],
                v[12], v[13], v[14], v[15], v[16], v[17], v[18], v[19], allReduce, allToAllFactors);
    }

    /** First index in {@link #toArray()} of each operator class's block of factors. */
    public static final int GEMM = 0;
    public static final int ELEMENTWISE = 4;
    public static final int ATTENTION = 6;
    public static final int SAMPLER = 12;
    public static final int LINK = 14;
    public static final int MOE = 17;

    /** A copy with the custom all-reduce's link fraction and latency replaced (NCCL factors kept). */
    public RooflineEfficiency withLink(double bandwidthFraction, double latencyNs) {
        return with(LINK, bandwidthFraction, latencyNs);
    }
}
