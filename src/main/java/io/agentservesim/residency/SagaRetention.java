package io.agentservesim.residency;

/**
 * SAGA's tool-aware, pressure-scaled TTL (Guo, Wu, Yiu, "SAGA: Workflow-Atomic Scheduling for AI Agent
 * Inference on GPU Clusters", HPDC '26, arXiv 2605.00528; code: github.com/bettyguo/SAGA). SAGA keeps
 * an agent's KV across a tool call for a TTL learnt from that tool's call durations and gives memory
 * back sooner when the GPU is under pressure.
 *
 * <p>Rule here: program done, RELEASE. Otherwise base = the p95 of a log-normal fitted to the tool's
 * observed gaps ({@link GapStats#lognormalQuantileNs}), or {@code defaultTtlNs} before two
 * observations; TTL = base × (1 − pressure); PIN until now + TTL, or RELEASE when the TTL is 0 (a full
 * pool).
 *
 * <p>Simplified: the exact pressure rule of the paper was not available to us, so the linear
 * scaling × (1 − pressure) is our stand-in. SAGA's workflow-aware LRU (Agent Execution Graphs),
 * affinity batching and fair-share preemption are not part of this class.
 */
public final class SagaRetention implements RetentionPolicy {
    public static final String NAME = "saga";
    static final double QUANTILE = 0.95;

    private final long defaultTtlNs;

    public SagaRetention(long defaultTtlNs) {
        this.defaultTtlNs = PinDeadline.requirePositive(defaultTtlNs, "saga default ttl");
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
        double ttlNs = ttlNs(ctx);
        if (ttlNs < 1) {
            return RetentionDecision.RELEASE;
        }
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), ttlNs));
    }

    /** The TTL this context gets: the tool's fitted p95 (or the default) scaled by 1 − pressure. */
    double ttlNs(RetentionContext ctx) {
        double base = ctx.toolGaps().count() >= 2 ? ctx.toolGaps().lognormalQuantileNs(QUANTILE) : defaultTtlNs;
        double pressure = Math.min(1, Math.max(0, ctx.pressure()));
        return base * (1 - pressure);
    }
}
