package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/**
 * Continuum's scheduling rule (Li et al., "Continuum: Efficient and Robust Multi-Turn LLM Agent
 * Scheduling with KV Cache Time-to-Live", 2025): a turn whose program's KV is pinned on this instance is
 * scheduled before others, so the pin pays off and is released; among equals, program-level FCFS.
 */
public final class PinnedFirstPolicy implements SchedulingPolicy {
    public static final String NAME = "pinned-first";
    private static final long UNPINNED_OFFSET = Long.MAX_VALUE / 2;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long priority(Request request) {
        if (request.program() == null) {
            return UNPINNED_OFFSET + request.arrivalNs();
        }
        long arrival = request.program().programArrivalNs();
        return request.program().kvPinned() ? arrival : UNPINNED_OFFSET + arrival;
    }
}
