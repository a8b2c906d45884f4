package io.agentservesim.perf;

/**
 * vLLM replays a CUDA graph captured for the smallest capture size at least as large as the batch, so a
 * step of n tokens (or sequences) costs what the padded size costs. Shared by the step-time models.
 */
public final class CudaGraphPadding {
    private CudaGraphPadding() {
    }

    /**
     * Whether the step of {@code batch} replays a CUDA graph: the data-parallel ranks' agreement when they
     * made one ({@link BatchShape#dpTokens}), else whether its tokens fit the largest of the sorted
     * {@code sizes} (none when {@code sizes} is empty: eager).
     */
    public static boolean graphed(int[] sizes, BatchShape batch) {
        int dp = batch.dpTokens();
        if (dp != 0) {
            return dp > 0;
        }
        return sizes.length > 0 && batch.totalTokens() <= sizes[sizes.length - 1];
    }

    /**
     * Tokens the step's token-indexed ops run at: the agreed data-parallel graph size, else the padded
     * capture size when {@link #graphed}, else the step's own tokens.
     */
    public static long tokens(int[] sizes, BatchShape batch) {
        int dp = batch.dpTokens();
        if (dp > 0) {
            return dp;
        }
        long tokens = batch.totalTokens();
        return graphed(sizes, batch) ? padUp(sizes, tokens) : tokens;
    }

    /** The smallest of the sorted {@code sizes} that is >= {@code n}; the caller ensures n <= the largest. */
    public static int padUp(int[] sizes, long n) {
        int lo = 0;
        int hi = sizes.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sizes[mid] >= n) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return sizes[lo];
    }
}
