package io.agentservesim.residency;

/**
 * InferCept's memory wastes (Abhyankar et al., ICML 2024, §4, Eqs. 2 and 4; the released scheduler
 * {@code vllm/core/scheduler_v2.py} of WukLab/InferCept, {@code discard_waste}), in token x ns so that the
 * two compare directly:
 * <ul>
 *   <li>preserve: the context C sits idle until the call returns, T_remaining x C;</li>
 *   <li>chunked discard: on return C is recomputed in chunks of c_h = max(S - B, 1) tokens, S the step's
 *       saturation budget and B the tokens the running batch computes per step; with n = ceil(C / c_h) - 1
 *       full chunks before the last, the context's own growing KV waits f(S) per chunk,
 *       f(S) x (1 + n) n / 2 x c_h, and every chunk slows the running requests' R tokens of KV,
 *       (f_ch x n + f_last) x R, with f_ch and f_last the time the chunk adds to a step.</li>
 * </ul>
 * Forward times come from the instance's step-time model ({@link ForwardModel}).
 */
final class MinWaste {
    private final ForwardModel fwd;
    private final double saturatedStepNs;

    MinWaste(ForwardModel fwd) {
        this.fwd = fwd;
        this.saturatedStepNs = fwd.ns(fwd.saturationTokens());
    }

    static double preserve(long remainingNs, int contextTokens) {
        return (double) Math.max(0, remainingNs) * contextTokens;
    }

    /** Chunked-discard waste of a {@code contextTokens} context with {@code batchTokens} in flight and {@code runningTokens} of running KV. */
    double discard(int contextTokens, int batchTokens, long runningTokens) {
        int chunk = Math.max(fwd.saturationTokens() - batchTokens, 1);
        long n = Math.max((contextTokens + (long) chunk - 1) / chunk - 1, 0);
        double self = saturatedStepNs * (1 + n) * n / 2.0 * chunk;
        double other = fwd.marginalNs(chunk) * n * runningTokens;
        long last = contextTokens - n * chunk;
        if (last > 0) {
            other += fwd.marginalNs((int) last) * runningTokens;
        }
        return self + other;
    }
}
