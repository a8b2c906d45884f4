package io.agentservesim.perf.roofline;

/**
 * NCCL's time for one collective inside one node, in the form of NCCL's own tuner
 * ({@code src/graph/tuning.cc}: per algorithm and protocol a latency plus the bytes over a bandwidth;
 * NCCL launches the protocol that is predicted faster):
 * <pre>
 *   t = steps × stepLatency + max( min(LL, Simple), fabric )
 *   LL     = llLatency     + wire / (link × fraction × ½)    (8-byte stores carry 4 data bytes + a 4-byte flag)
 *   Simple = simpleLatency + wire / (link × fraction)
 *   fabric = N × wire / (link × fabricLinks)                 (PCIe, more than 2 GPUs; 0 = no shared bound)
 * </pre>
 * {@code wire} is what each rank puts on its own link: 2(N−1)/N × bytes for a ring all-reduce,
 * (N−1)/N × bytes for an all-to-all. {@code steps} is the number of dependent hops: 2(N−1) for the
 * ring all-reduce (Thakur, Rabenseifner, Gropp, "Optimization of collective communication operations
 * in MPICH", IJHPCA 2005: T = 2(N−1)·α + 2(N−1)/N·n·β), N−1 for an all-to-all (one send/receive pair
 * per peer). The fabric term covers GPUs that talk over PCIe: beyond a pair, their traffic crosses PCIe
 * switches and the CPU root complex, whose bandwidth all N GPUs share. Two GPUs are taken to sit under
 * one PCIe switch and exchange peer-to-peer without it (the pairing vLLM also assumes when it allows its
 * peer-to-peer custom all-reduce on two PCIe GPUs only). NVSwitch has full bisection bandwidth, so NVLink
 * GPUs have no fabric term. Left out: NCCL's LL128 protocol and tree / NVLS algorithms (their effect on
 * the measured bandwidth is absorbed by the fitted fraction), the number of channels NCCL opens for
 * mid-size messages (the largest remaining error, see VALIDATION.md).
 *
 * @param linkBandwidthFraction achieved fraction of the GPU link bandwidth with the Simple protocol
 * @param llLatencyNs           fixed cost of a call with the LL protocol
 * @param simpleLatencyNs       fixed cost of a call with the Simple protocol
 * @param stepLatencyNs         latency of each dependent step (ring hop or peer)
 * @param fabricLinks           bandwidth of the fabric all GPUs share, in GPU links; 0 = not bounded
 */
public record NcclFactors(double linkBandwidthFraction, double llLatencyNs, double simpleLatencyNs,
        double stepLatencyNs, double fabricLinks) {

    /** LL moves 4 data bytes in each 8-byte store (the other 4 are the flag that replaces a fence). */
    static final double LL_EFFICIENCY = 0.5;
    /** GPUs that share one PCIe switch: up to this many exchange peer-to-peer without the shared fabric. */
    static final int SWITCH_PEERS = 2;

    public NcclFactors {
        if (!(linkBandwidthFraction > 0 && linkBandwidthFraction <= 1.5)) {
            throw new IllegalArgumentException("link_bandwidth_fraction must be in (0, 1.5], got " + linkBandwidthFraction);
        }
        nonNegative("ll_latency_ns", llLatencyNs);
        nonNegative("simple_latency_ns", simpleLatencyNs);
        nonNegative("step_latency_ns", stepLatencyNs);
        nonNegative("fabric_links", fabricLinks);
    }

    private static void nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be >= 0, got " + v);
        }
    }

    /**
     * One ring with a fixed latency: {@code latency + wire / (link × fraction)}, no protocol choice, no
     * per-step or fabric term. What a calibration file without NCCL entries means (the pre-NCCL form).
     */
    public static NcclFactors ring(double linkBandwidthFraction, double latencyNs) {
        return new NcclFactors(linkBandwidthFraction, latencyNs, latencyNs, 0, 0);
    }

    /**
     * Time in µs for {@code wireBytes} per rank over {@code steps} dependent steps among {@code gpus}
     * GPUs; the fabric bound applies only to GPUs that talk over {@code pcie}.
     */
    double us(double wireBytes, int steps, int gpus, double linkBandwidth, boolean pcie) {
        double bw = linkBandwidth * linkBandwidthFraction;
        double simple = simpleLatencyNs * 1e-3 + wireBytes / bw * 1e6;
        double ll = llLatencyNs * 1e-3 + wireBytes / (bw * LL_EFFICIENCY) * 1e6;
        double t = Math.min(ll, simple);
        if (pcie && fabricLinks > 0 && gpus > SWITCH_PEERS) {
            t = Math.max(t, gpus * wireBytes / (linkBandwidth * fabricLinks) * 1e6);
        }
        return steps * stepLatencyNs * 1e-3 + t;
    }

    /** The five factors in declaration order (the calibration file's and the fit's order). */
    public double[] toArray() {
        return new double[] {linkBandwidthFraction, llLatencyNs, simpleLatencyNs, stepLatencyNs, fabricLinks};
    }

    /** The factors of a {@link #toArray()} vector; a 4-element vector has no fabric bound. */
    public static NcclFactors fromArray(double[] v) {
        return new NcclFactors(v[0], v[1], v[2], v[3], v.length > 4 ? v[4] : 0);
    }
}
