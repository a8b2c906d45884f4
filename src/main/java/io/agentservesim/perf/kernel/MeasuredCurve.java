package io.agentservesim.perf.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * Measured kernel latency along one axis (GEMM rows, MoE tokens, attention batch or sequence length),
 * sorted ascending, with AIConfigurator's rules for a query: a measured point is returned exactly;
 * between two measured points the latency is interpolated linearly (its "raw" value transform); outside the measured range the
 * kernel's utilisation at the nearest measured point is held and the query's speed-of-light time
 * carries the growth ({@code latency = SOL(q) × latency(edge) / SOL(edge)}), never a linear
 * extrapolation that could go below launch overhead or negative.
 */
final class MeasuredCurve {
    private final double[] x;
    private final double[] us;

    MeasuredCurve(double[] x, double[] us) {
        if (x.length == 0 || x.length != us.length) {
            throw new IllegalArgumentException("a curve needs equal, non-empty axes");
        }
        this.x = x;
        this.us = us;
    }

    int size() { return x.length; }
    double x(int i) { return x[i]; }
    double us(int i) { return us[i]; }
    double min() { return x[0]; }
    double max() { return x[x.length - 1]; }

    /** Latency at {@code q}; {@code sol} is the kernel's speed-of-light time at a point of this axis. */
    double at(double q, DoubleUnaryOperator sol) {
        int n = x.length;
        if (q <= x[0]) {
            return q == x[0] ? us[0] : us[0] * sol.applyAsDouble(q) / sol.applyAsDouble(x[0]);
        }
        if (q >= x[n - 1]) {
            return q == x[n - 1] ? us[n - 1] : us[n - 1] * sol.applyAsDouble(q) / sol.applyAsDouble(x[n - 1]);
        }
        int hi = upper(q);
        int lo = hi - 1;
        double w = (q - x[lo]) / (x[hi] - x[lo]);
        return us[lo] + w * (us[hi] - us[lo]);
    }

    /** Index of the first point above {@code q}, for x[0] &lt; q &lt; x[n-1]. */
    int upper(double q) {
        int lo = 0;
        int hi = x.length - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (x[mid] <= q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** A curve from unsorted points (x, µs); equal x are averaged (repeated measurements). */
    static MeasuredCurve of(double[] xs, double[] ys, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(xs[a], xs[b]));
        double[] x = new double[n];
        double[] y = new double[n];
        int[] count = new int[n];
        int m = -1;
        for (int j = 0; j < n; j++) {
            int i = order[j];
            if (m >= 0 && x[m] == xs[i]) {
                y[m] += ys[i];
                count[m]++;
            } else {
                m++;
                x[m] = xs[i];
                y[m] = ys[i];
                count[m] = 1;
            }
        }
        m++;
        for (int i = 0; i < m; i++) {
            y[i] /= count[i];
        }
        return new MeasuredCurve(java.util.Arrays.copyOf(x, m), java.util.Arrays.copyOf(y, m));
    }
}
