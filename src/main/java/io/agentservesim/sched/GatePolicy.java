package io.agentservesim.sched;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.engine.Request;
import java.util.List;

/**
 * The scheduling half of the {@code gate} policy of the AgentServeSim artifact (rajibrhasan/agentservesim,
 * {@code policies/gate.py}, EvolvedScheduling; its retention half is {@code residency.GateRetention}). It
 * uses all three hooks of the scheduling plane:
 * <ul>
 *   <li>priority: turns whose program's KV is pinned here first, then program FCFS in milliseconds of
 *       program arrival, plus min(prompt tokens, 10,000) milliseconds, so a small context gains up to 10 s
 *       on a large one;</li>
 *   <li>victim: the running request cheapest to recompute (fewest prompt plus generated tokens; the
 *       first in running order on a tie), since preemption here discards the victim's whole KV;</li>
 *   <li>admit: a turn that is not pinned is held for the step when KV utilisation is above 0.9 and its
 *       uncached prompt exceeds the free plus evictable tokens, so turns that do fit go first.</li>
 * </ul>
 * The artifact stamps with its context_tokens, the program's context when the turn is released; here that
 * is the turn's prompt, the same tokens.
 */
public final class GatePolicy implements SchedulingPolicy {
    public static final String NAME = "gate";
    private static final long MS = 1_000_000L;
    /** Unpinned turns sort after every pinned one (2^40 ms, about 35 years of arrivals). */
    private static final long UNPINNED = 1L << 40;

    /** {@code scheduling.settings.gate}. */
    public record Settings(@JsonProperty("context_band_tokens") int contextBandTokens,
                           @JsonProperty("hold_above_utilization") double holdAboveUtilization) {
        public static final Settings DEFAULTS = new Settings(10_000, 0.9);

        public Settings {
            if (contextBandTokens < 0) {
                throw new IllegalArgumentException("context_band_tokens: expected >= 0, got " + contextBandTokens);
            }
            if (!(holdAboveUtilization >= 0 && holdAboveUtilization <= 1)) {
                throw new IllegalArgumentException("hold_above_utilization: expected a share in [0, 1], got "
                        + holdAboveUtilization);
            }
        }
    }

    private final Settings settings;

    public GatePolicy(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long priority(Request r) {
        if (r.program() == null) {
            return UNPINNED + r.arrivalNs() / MS;
        }
        long pinned = r.program().kvPinned() ? 0 : UNPINNED;
        return pinned + r.program().programArrivalNs() / MS + Math.min(r.promptTokens(), settings.contextBandTokens());
    }

    @Override
    public int victimIndex(List<Request> running) {
        int best = -1;
        long bestCost = Long.MAX_VALUE;
        for (int i = 0, n = running.size(); i < n; i++) {
            Request r = running.get(i);
            long cost = (long) r.promptTokens() + r.outputTokens();
            if (cost < bestCost) {
                bestCost = cost;
                best = i;
            }
        }
        return best;
    }

    @Override
    public boolean gatesAdmission() {
        return true;
    }

    @Override
    public boolean admit(Request r, AdmissionView view) {
        if (r.program() != null && r.program().kvPinned()) {
            return true;
        }
        if (view.kvUtilization() > settings.holdAboveUtilization()) {
            long needed = Math.max(0, r.promptTokens() - view.cachedTokens(r));
            return needed <= (long) view.freeTokens() + view.evictableTokens();
        }
        return true;
    }
}
