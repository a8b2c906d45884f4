package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/** vLLM's default: requests in arrival order, preempted ones back to the front. */
public final class FcfsPolicy implements SchedulingPolicy {
    public static final String NAME = "fcfs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long priority(Request request) {
        return 0;
    }

    @Override
    public boolean isFcfs() {
        return true;
    }
}
