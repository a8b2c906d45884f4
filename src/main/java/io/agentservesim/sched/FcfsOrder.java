package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/**
 * A policy that keeps vLLM's FCFS waiting order and preemption rule and changes something else: how an engine
 * composes its steps (agentserve, sglang, llama-cpp).
 */
interface FcfsOrder extends SchedulingPolicy {
    @Override
    default long priority(Request request) {
        return 0;
    }

    @Override
    default boolean isFcfs() {
        return true;
    }
}
