package io.agentservesim.residency;

/**
 * Continuum's tool-aware KV time-to-live (Li et al., "Continuum: Efficient and Robust Multi-Turn LLM
 * Agent Scheduling with KV Cache Time-to-Live", arXiv 2511.02230; code: github.com/Hanchenli/vllm-continuum).
 * When a turn ends in a tool call, Continuum predicts the call's duration from that tool's history and
 * pins the program's KV on the GPU with a TTL when retaining is worth it (a short tool); when the TTL
 * expires the KV becomes evictable again, which bounds the cost of a wrong prediction.
 *
 * <p>Rule here: program done, RELEASE; the tool's observed mean gap &le; {@code thresholdNs}, PIN until
 * now + {@code ttlNs}; above it, RELEASE. A tool never seen before is pinned (cold start): the TTL caps
 * what a wrong guess costs, which is the paper's robustness argument.
 *
 * <p>Simplified: the paper's later version chooses the TTL per tool (τ*) from a cost–benefit model of
 * reload cost, the queueing delay eviction causes and the tool's duration distribution; its exact form
 * was not available to us, so τ is a configured constant and the pin/no-pin choice a mean threshold.
 * The cold-start rule above is ours, not checked against the paper. Continuum's program-level FCFS is
 * the scheduling policy {@code pinned-first}, not part of this class.
 */
public final class ContinuumRetention implements RetentionPolicy {
    public static final String NAME = "continuum";

    /** {@code kv.settings.continuum}; the defaults are the global {@code kv.ttl_s} and {@code kv.continuum_threshold_s}. */
    public record Settings(@com.fasterxml.jackson.annotation.JsonProperty("ttl_s") double ttlS,
                           @com.fasterxml.jackson.annotation.JsonProperty("threshold_s") double thresholdS) {
        public Settings {
            if (!(ttlS > 0) || Double.isInfinite(ttlS)) {
                throw new IllegalArgumentException("ttl_s: expected a number of seconds > 0, got " + ttlS);
            }
            if (!(thresholdS > 0) || Double.isInfinite(thresholdS)) {
                throw new IllegalArgumentException("threshold_s: expected a number of seconds > 0, got " + thresholdS);
            }
        }
    }

    private final long ttlNs;
    private final long thresholdNs;

    public ContinuumRetention(Settings s) {
        this(Math.round(s.ttlS() * 1e9), Math.round(s.thresholdS() * 1e9));
    }

    public ContinuumRetention(long ttlNs, long thresholdNs) {
        this.ttlNs = PinDeadline.requirePositive(ttlNs, "continuum ttl");
        this.thresholdNs = PinDeadline.requirePositive(thresholdNs, "continuum threshold");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        if (ctx.toolName() == null) {
            return RetentionDecision.RELEASE;
        }
        GapStats gaps = ctx.toolGaps();
        if (gaps.count() > 0 && gaps.meanNs() > thresholdNs) {
            return RetentionDecision.RELEASE;
        }
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), ttlNs));
    }
}
