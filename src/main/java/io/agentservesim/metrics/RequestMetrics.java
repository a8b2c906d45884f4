package io.agentservesim.metrics;

import io.agentservesim.engine.Request;

/**
 * The latency metrics of one finished request, defined as vLLM's benchmark and LLMServingSim's
 * validator define them: TTFT = first token - arrival (queueing included); TPOT = (last token - first
 * token) / (output tokens - 1), undefined for one-token outputs; E2E = last token - arrival; queueing =
 * first scheduled - arrival. All in nanoseconds.
 */
public record RequestMetrics(long ttftNs, long tpotNs, boolean hasTpot, long e2eNs, long queueingNs) {

    public static RequestMetrics of(Request r) {
        long ttft = r.firstTokenNs() - r.arrivalNs();
        long e2e = r.lastTokenNs() - r.arrivalNs();
        int out = r.outputTokens();
        boolean hasTpot = out > 1;
        long tpot = hasTpot ? Math.round((double) (r.lastTokenNs() - r.firstTokenNs()) / (out - 1)) : 0L;
        return new RequestMetrics(ttft, tpot, hasTpot, e2e, r.firstScheduledNs() - r.arrivalNs());
    }
}
