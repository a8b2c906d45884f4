package io.agentservesim.residency;

import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;

/**
 * InferCept's forward-time model T_fwd(x), the time of one forward pass computing x prompt tokens, taken
 * from the instance's own step-time model (profile or roofline) instead of a fitted line: tabulated once
 * at construction every {@code saturation / 256} tokens up to the saturation point S and interpolated, so
 * pricing a waste costs no step-time evaluation. S is the token budget of one step
 * (max_num_batched_tokens): the chunk a recompute is split into, as vLLM's chunked prefill splits it.
 */
final class ForwardModel {
    private static final int POINTS = 256;
    private final int saturation;
    private final int stride;
    private final long[] ns;

    ForwardModel(StepTimeModel stepTime, int saturationTokens) {
        this.saturation = Math.max(1, saturationTokens);
        this.stride = Math.max(1, (saturation + POINTS - 1) / POINTS);
        int n = (saturation + stride - 1) / stride + 1;
        this.ns = new long[n + 1];
        BatchShape b = new BatchShape();
        for (int i = 0; i <= n; i++) {
            b.clear();
            b.addPrefill(Math.max(1, i * stride), 0);
            ns[i] = stepTime.stepTimeNs(b);
        }
    }

    int saturationTokens() {
        return saturation;
    }

    /** T_fwd(tokens), ns, for 1 &le; tokens &le; S + stride (clamped). */
    double ns(int tokens) {
        int x = Math.max(1, Math.min(tokens, (ns.length - 1) * stride - 1)); // the table reaches past S
        int i = x / stride;
        int x0 = Math.max(1, i * stride); // the first point is priced at one token, not zero
        int x1 = (i + 1) * stride;
        double frac = x1 == x0 ? 0 : (double) (x - x0) / (x1 - x0);
        return ns[i] + frac * (ns[i + 1] - ns[i]);
    }

    /** What {@code tokens} more tokens add to a forward pass: T_fwd(tokens + 1) - T_fwd(1) (the slope part). */
    double marginalNs(int tokens) {
        return tokens <= 0 ? 0 : Math.max(0, ns(tokens + 1) - ns(1));
    }
}
