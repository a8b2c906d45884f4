package io.agentservesim.power;

import java.util.Arrays;

/**
 * Dynamic GPU energy (joules above idle) of one instance binned by simulated time: a step's energy is
 * split over the bins its interval overlaps, in proportion to the overlap. The bin array grows by
 * doubling, so adding a step allocates nothing in the steady state.
 */
public final class PowerTimeline {
    private final long binNs;
    private double[] joules = new double[64];
    private int bins;

    public PowerTimeline(long binNs) {
        if (binNs <= 0) {
            throw new IllegalArgumentException("bin width must be positive, got " + binNs);
        }
        this.binNs = binNs;
    }

    /** Adds {@code watts} drawn over [{@code startNs}, {@code endNs}). */
    public void add(long startNs, long endNs, double watts) {
        if (endNs <= startNs || watts == 0) {
            return;
        }
        int first = (int) (startNs / binNs);
        int last = (int) ((endNs - 1) / binNs);
        if (last >= joules.length) {
            joules = Arrays.copyOf(joules, Math.max(last + 1, joules.length * 2));
        }
        for (int k = first; k <= last; k++) {
            long from = Math.max(startNs, k * binNs);
            long to = Math.min(endNs, (k + 1) * binNs);
            joules[k] += watts * (to - from) / 1e9;
        }
        bins = Math.max(bins, last + 1);
    }

    public long binNs() { return binNs; }

    /** Dynamic joules in bin {@code k} (0 beyond the last step). */
    public double joules(int k) {
        return k < bins ? joules[k] : 0;
    }
}
