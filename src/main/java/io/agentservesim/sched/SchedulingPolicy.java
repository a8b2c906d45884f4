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

    /**
     * A step of {@code durationNs} was launched at {@code now} with {@code running} (read-only) as the running
     * list: a policy that charges execution to calls (Autellix's quanta) counts it here. Called every step.
     */
    default void onStepLaunched(List<Request> running, long now, long durationNs) {
    }

    /** 0, or how often (ns) the waiting queue is re-stamped with {@link #rekey} (Autellix's starvation rule). */
    default long rekeyIntervalNs() {
        return 0;
    }

    /** The priority a request already waiting has at {@code now} (only when {@link #rekeyIntervalNs} &gt; 0). */
    default long rekey(Request r, long now) {
        return priority(r);
    }

    /**
     * The yield hook, before a step is scheduled while {@code waitingHead}, the first waiting request, finds
     * no room (no sequence slot, or too few free blocks for its first chunk): the index in {@code running} of
     * one request that gives its place (preempted without blocking this step's admission), or -1.
     */
    default int yieldIndex(List<Request> running, Request waitingHead) {
        return -1;
    }

    /** Whether a preempted request's KV is copied to the host tier (when there is one) before its blocks are freed. */
    default boolean swapOnPreempt() {
        return false;
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
