package io.agentservesim.residency;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The retention half of the {@code gate} policy of the AgentServeSim artifact (rajibrhasan/agentservesim,
 * {@code policies/gate.py}, the joint champion of its automated policy search promoted to a named policy):
 * after a turn that calls a tool, pin the program's KV for {@code tau} (2 s) unless that tool's observed
 * gaps, averaged exponentially with weight 0.2 on the newest ({@link GapStats#emaNs}), exceed
 * {@code longGapFactor} x tau (3 s); a long-gap tool's context is left to the LRU prefix cache instead of
 * being evicted, so it may still hit. The pin is released when the program's next turn ARRIVES (not when it
 * is admitted, as Continuum's is), so a pinned turn is stamped pinned-first and then competes for its
 * blocks like any cached prefix. Its scheduling half is {@code sched.GatePolicy}.
 */
public final class GateRetention implements RetentionPolicy {
    public static final String NAME = "gate";

    /** {@code kv.settings.gate}. */
    public record Settings(@JsonProperty("tau_s") double tauS,
                           @JsonProperty("long_gap_factor") double longGapFactor) {
        public static final Settings DEFAULTS = new Settings(2.0, 1.5);

        public Settings {
            if (!(tauS > 0) || Double.isInfinite(tauS)) {
                throw new IllegalArgumentException("tau_s: expected a number of seconds > 0, got " + tauS);
            }
            if (!(longGapFactor > 0) || Double.isInfinite(longGapFactor)) {
                throw new IllegalArgumentException("long_gap_factor: expected a number > 0, got " + longGapFactor);
            }
        }
    }

    private final long tauNs;
    private final double longGapNs;

    public GateRetention(Settings s) {
        this.tauNs = Math.round(s.tauS() * 1e9);
        this.longGapNs = s.longGapFactor() * tauNs;
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
        GapStats g = ctx.toolGaps();
        if (g.count() > 0 && g.emaNs() > longGapNs) {
            return RetentionDecision.RELEASE;
        }
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), tauNs));
    }

    @Override
    public boolean releaseOnArrival() {
        return true;
    }
}
