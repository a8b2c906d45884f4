package io.agentservesim.perf;

import java.util.Arrays;

/**
 * A function of one variable given by samples on a sorted axis: linear between neighbouring samples
 * (exact at the samples) and linear extrapolation beyond either end using the two outermost samples
 * on that side. With a single sample it is constant. Used for the dense ops (against tokens in the
 * step) and the per-sequence ops (against sequences in the step).
 *
 * <p>Mirrors {@code _lookup_1d} in LLMServingSim's {@code llmservingsim/serving/core/trace_generator.py}
 * above the axis; below the first sample that code clamps, which never matters there or here because
 * callers query at {@code max(x, 1)} and the tables start at 1. The query path is a binary search on a
 * primitive array: no allocation.
 */
public final class PiecewiseLinear {
    private final double[] xs;
    private final double[] ys;

    /** {@code xs} strictly increasing, same length as {@code ys}, at least one sample. Arrays are copied. */
    public PiecewiseLinear(double[] xs, double[] ys) {
        if (xs.length == 0 || xs.length != ys.length) {
            throw new IllegalArgumentException("need matching non-empty sample arrays");
        }
        for (int i = 1; i < xs.length; i++) {
            if (!(xs[i] > xs[i - 1])) {
                throw new IllegalArgumentException("axis must be strictly increasing at index " + i);
            }
        }
        this.xs = xs.clone();
        this.ys = ys.clone();
    }

    /** The value at {@code x}; may be negative only when extrapolating a falling end (callers clamp). */
    public double at(double x) {
        int n = xs.length;
        if (n == 1) {
            return ys[0];
        }
        int lo = GridAxis.lowerIndex(xs, x);
        double x0 = xs[lo];
        return ys[lo] + (x - x0) * (ys[lo + 1] - ys[lo]) / (xs[lo + 1] - x0);
    }

    /** Like {@link #at} but constant below the first sample (used where extrapolating down is unphysical). */
    public double atClampedBelow(double x) {
        return x <= xs[0] ? ys[0] : at(x);
    }

    public int size() { return xs.length; }

    public double minX() { return xs[0]; }

    public double maxX() { return xs[xs.length - 1]; }

    double[] xs() { return Arrays.copyOf(xs, xs.length); }
}
