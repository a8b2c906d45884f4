package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/**
 * Program-level FCFS: a turn is ordered by its program's arrival, not its own, so a program that
 * arrived earlier keeps its place across tool gaps (the baseline of Autellix, Luo et al. 2025, §4).
 */
public final class ProgramFcfsPolicy implements SchedulingPolicy {
    public static final String NAME = "program-fcfs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long priority(Request request) {
        return request.program() == null ? request.arrivalNs() : request.program().programArrivalNs();
    }
}
