package io.agentservesim.estimate;

import java.util.SplittableRandom;

/**
 * Request lengths as vLLM's random dataset draws them ({@code vllm/benchmarks/datasets.py},
 * {@code RandomDataset}): uniform integers in {@code [floor(n (1 - r)), ceil(n (1 + r))]}, at least 1;
 * r = 0 gives exactly n. Seeded, so the same seed gives the same lengths.
 */
final class LengthSampler {
    private final SplittableRandom random;
    private final double ratio;

    LengthSampler(long seed, double ratio) {
        this.random = new SplittableRandom(seed);
        this.ratio = ratio;
    }

    static int lower(int n, double ratio) {
        return Math.max(1, (int) Math.floor(n * (1.0 - ratio)));
    }

    static int upper(int n, double ratio) {
        return Math.max(1, (int) Math.ceil(n * (1.0 + ratio)));
    }

    int next(int n) {
        int lo = lower(n, ratio);
        int hi = upper(n, ratio);
        return lo == hi ? lo : lo + random.nextInt(hi - lo + 1);
    }
}
