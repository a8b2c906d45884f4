package io.agentservesim.residency;

/**
 * A fixed time-to-live: at every turn end that calls a tool, pin the program's KV until now + ttl, then
 * it is released as by stock vLLM. The baseline TTL that Continuum and SAGA refine (no per-tool
 * knowledge, no pressure feedback). A program whose turn called no tool is done: RELEASE.
 */
public final class FixedTtlRetention implements RetentionPolicy {
    public static final String NAME = "fixed-ttl";

    private final long ttlNs;

    public FixedTtlRetention(long ttlNs) {
        this.ttlNs = PinDeadline.requirePositive(ttlNs, "fixed-ttl ttl");
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
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), ttlNs));
    }
}
