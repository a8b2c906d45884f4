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

    /**
     * Moves into place, in O(n), every entry of {@code values} that {@link #ofSorted} reads for the
     * percentiles {@code p1} and {@code p2} and the maximum (the last entry): afterwards those positions
     * hold what a full sort would put there, so {@code ofSorted(values, n, p1)}, {@code ofSorted(values, n, p2)}
     * and {@code values[n - 1]} answer exactly as after {@link #sort}. The other entries are left in some
     * order. A turn's ITL p50, p95 and max need only these five order statistics; sorting every turn's gaps
     * was an eighth of a 200,000-request flat run.
     */
    public static void selectFor(LongArrayList values, double p1, double p2) {
        long[] a = values.elements();
        int n = values.size();
        if (n <= 1) {
            return;
        }
        double pHigh = Math.max(p1, p2);
        double pLow = Math.min(p1, p2);
        // Ranks from the top down; each step leaves every smaller rank's value in the part before it. A rank
        // one below the last one placed is the maximum of that part: a scan, not a selection.
        int bound = place(a, n, n - 1);
        bound = place(a, bound, hiRank(n, pHigh));
        bound = place(a, bound, loRank(n, pHigh));
        bound = place(a, bound, hiRank(n, pLow));
        place(a, bound, loRank(n, pLow));
    }

    /** Puts rank {@code k} of {@code a[0, bound)} in place when {@code k < bound}; returns the new bound. */
    private static int place(long[] a, int bound, int k) {
        if (k >= bound) {
            return bound;
        }
        if (k == bound - 1) {
            swapMaxToEnd(a, 0, bound);
        } else {
            select(a, 0, bound, k);
        }
        return k;
    }

    /** Moves the largest of {@code a[from, to)} to {@code a[to - 1]}. */
    private static void swapMaxToEnd(long[] a, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        long t = a[best];
        a[best] = a[to - 1];
        a[to - 1] = t;
    }

    private static int loRank(int n, double p) {
        return (int) Math.floor(p / 100.0 * (n - 1));
    }

    private static int hiRank(int n, double p) {
        return Math.min(n - 1, loRank(n, p) + 1);
    }

    /**
     * Rearranges {@code a[from, to)} so that {@code a[k]} holds the value a sort would put there, with no
     * larger value before it and no smaller one after it (Hoare's FIND with median-of-three pivots; a
     * range that keeps failing to shrink is sorted instead, so the worst case stays O(n log n)).
     */
    static void select(long[] a, int from, int to, int k) {
        int lo = from;
        int hi = to - 1;
        int rounds = 0;
        while (hi - lo > 16) {
            if (++rounds > 64) {
                Arrays.sort(a, lo, hi + 1);
                return;
            }
            int mid = (lo + hi) >>> 1;
            long x = median(a[lo], a[mid], a[hi]);
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < x) {
                    i++;
                }
                while (a[j] > x) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            // Now a[lo..j] <= x <= a[i..hi], and every entry strictly between j and i equals x.
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return;
            }
        }
        Arrays.sort(a, lo, hi + 1);
    }

    private static long median(long x, long y, long z) {
        return Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
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
