package io.agentservesim.sched;

import io.agentservesim.engine.Request;
import io.agentservesim.engine.StreamSplit;

/**
 * Orders an engine's waiting queue and chooses preemption victims. FCFS is vLLM's default policy
 * ({@code vllm/v1/core/sched/request_queue.py FCFSRequestQueue}: preempted requests return to the
 * front, the victim is the last running request); every other policy works like vLLM's priority
 * policy ({@code PriorityRequestQueue}: a heap by (priority, arrival), the victim is the running request
 * with the largest (priority, arrival)), with the priority computed from what the policy knows when the
 * request enters the queue.
 */
public interface SchedulingPolicy {
    /** Stable kebab-case name used in configs. */
    String name();

    /** Priority of a request entering (or re-entering) the waiting queue: lower is served first. */
    long priority(Request request);

    /** True for vLLM's FCFS queue discipline. */
    default boolean isFcfs() {
        return false;
    }

    /** Most prefills (new or continued) one step may hold; llama.cpp-style engines take one at a time. */
    default int maxPrefillsPerStep() {
        return Integer.MAX_VALUE;
    }

    /**
     * Split prefill and decode streams instead of vLLM's one mixed step ({@link StreamSplit}); null (default) for
     * the one stream.
     */
    default StreamSplit streams() {
        return null;
    }
}
