package io.agentservesim.perf;

/**
 * vLLM replays a CUDA graph captured for the smallest capture size at least as large as the batch, so a
 * step of n tokens (or sequences) costs what the padded size costs. Shared by the step-time models.
 */
public final class CudaGraphPadding {
    private CudaGraphPadding() {
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
