package io.agentservesim.metrics;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;

/**
 * Exact percentiles of a small sample, as numpy's default ({@code np.percentile}, linear interpolation
 * between closest ranks) computes them: vLLM's {@code benchmark_serving} reports its ITL percentiles this
 * way. Used per turn, where the sample is that turn's inter-token gaps.
 */
public final class Percentiles {
    private Percentiles() {
    }

    /** Sorts {@code values} in place; call before {@link #ofSorted}. */
    public static void sort(LongArrayList values) {
        Arrays.sort(values.elements(), 0, values.size());
    }

    /** The {@code p}-th percentile (0..100) of the first {@code n} sorted values, rounded to the nearest unit. */
    public static long ofSorted(long[] sorted, int n, double p) {
        if (n == 0) {
            return 0;
        }
        double rank = p / 100.0 * (n - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(n - 1, lo + 1);
        double frac = rank - lo;
        return Math.round(sorted[lo] + frac * (sorted[hi] - sorted[lo]));
    }
}
