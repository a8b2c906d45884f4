package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/**
 * Autellix's PLAS, program-level least attained service (Luo et al., "Autellix: An Efficient Serving
 * Engine for LLM Agents as General Programs", 2025, §4.1): a turn's priority is the service its program
 * has attained so far, so short programs overtake long ones without knowing anything about the future.
 * Autellix quantises attained service into queues with thresholds; this uses the exact value, the limit
 * of fine queues. Ties fall back to arrival order.
 */
public final class PlasPolicy implements SchedulingPolicy {
    public static final String NAME = "plas";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long priority(Request request) {
        return request.program() == null ? 0 : request.program().attainedServiceNs();
    }
}
