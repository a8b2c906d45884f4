package io.agentservesim.perf;

/**
 * Bracketing on a sorted axis, shared by every table. {@link #lowerIndex} returns the index {@code i}
 * of the segment {@code [a[i], a[i+1]]} to interpolate on: the one containing {@code x}, the first
 * segment when {@code x} lies below the axis, the last when it lies above (so the caller extrapolates
 * linearly from the two outermost samples). The axis must have at least two samples.
 */
final class GridAxis {
    private GridAxis() {}

    static int lowerIndex(double[] a, double x) {
        int n = a.length;
        if (x <= a[0]) {
            return 0;
        }
        if (x >= a[n - 2]) {
            return n - 2;
        }
        int lo = 0;
        int hi = n - 1; // invariant: a[lo] <= x < a[hi]
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static int lowerIndex(int[] a, double x) {
        int n = a.length;
        if (x <= a[0]) {
            return 0;
        }
        if (x >= a[n - 2]) {
            return n - 2;
        }
        int lo = 0;
        int hi = n - 1;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
