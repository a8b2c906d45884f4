package io.agentservesim.sched;

import io.agentservesim.engine.Request;
import io.agentservesim.engine.StreamSplit;
import java.util.List;

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

    /**
     * The victim hook: the index in {@code running} (the engine's running list, read-only) of the request to
     * preempt when blocks run out, or -1 for the engine's own rule (above). Called once per preemption.
     */
    default int victimIndex(List<Request> running) {
        return -1;
    }

    /** Whether {@link #admit} is consulted at all (the engine's admission loop is unchanged otherwise). */
    default boolean gatesAdmission() {
        return false;
    }

    /**
     * The admit hook: whether the waiting turn {@code r}, next in queue order, may be tried this step; false
     * holds it for this step only, keeping its place, and admission goes on with the turns behind it.
     * Preempted and already-loading requests are never asked; when every waiting turn is held and nothing
     * runs, the head is tried anyway (an idle engine is never held).
     */
    default boolean admit(Request r, AdmissionView view) {
        return true;
    }
}
