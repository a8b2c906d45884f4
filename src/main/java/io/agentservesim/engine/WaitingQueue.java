package io.agentservesim.engine;

import io.agentservesim.sched.SchedulingPolicy;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The waiting queue in the discipline of the scheduling policy: vLLM's FCFS deque (arrivals at the
 * back, preempted requests at the front) or its priority heap by (priority, arrival order), with the
 * priority fixed when the request enters.
 */
final class WaitingQueue {
    private final SchedulingPolicy policy;
    private final ArrayDeque<Request> fifo;
    private final PriorityQueue<Request> heap;

    WaitingQueue(SchedulingPolicy policy) {
        this.policy = policy;
        if (policy.isFcfs()) {
            fifo = new ArrayDeque<>();
            heap = null;
        } else {
            fifo = null;
            heap = new PriorityQueue<>(WaitingQueue::compare);
        }
    }

    static int compare(Request a, Request b) {
        int c = Long.compare(a.priorityKey, b.priorityKey);
        return c != 0 ? c : Long.compare(a.arrivalSeq, b.arrivalSeq);
    }

    void addArrival(Request r) {
        r.priorityKey = policy.priority(r);
        if (fifo != null) {
            fifo.addLast(r);
        } else {
            heap.add(r);
        }
    }

    void addPreempted(Request r) {
        r.priorityKey = policy.priority(r);
        if (fifo != null) {
            fifo.addFirst(r);
        } else {
            heap.add(r);
        }
    }

    /** Returns a request taken out by {@link #poll} this step to its place (its priority key unchanged). */
    void putBack(Request r) {
        if (fifo != null) {
            fifo.addFirst(r);
        } else {
            heap.add(r);
        }
    }

    /** {@link #putBack} for requests polled in queue order: they return in that order, ahead of the rest. */
    void putBackAll(java.util.List<Request> inOrder) {
        for (int i = inOrder.size() - 1; i >= 0; i--) {
            putBack(inOrder.get(i));
        }
    }

    /** Re-stamps every waiting request with {@code policy.rekey(r, now)} and restores the heap order. */
    void rekey(SchedulingPolicy p, long now) {
        if (heap == null || heap.isEmpty()) {
            return;
        }
        scratch.clear();
        scratch.addAll(heap);
        heap.clear();
        for (int i = 0, n = scratch.size(); i < n; i++) {
            Request r = scratch.get(i);
            r.priorityKey = p.rekey(r, now);
            heap.add(r);
        }
        scratch.clear();
    }

    private final java.util.ArrayList<Request> scratch = new java.util.ArrayList<>();

    Request peek() {
        return fifo != null ? fifo.peekFirst() : heap.peek();
    }

    Request poll() {
        return fifo != null ? fifo.pollFirst() : heap.poll();
    }

    boolean isEmpty() {
        return fifo != null ? fifo.isEmpty() : heap.isEmpty();
    }

    int size() {
        return fifo != null ? fifo.size() : heap.size();
    }

    boolean fcfs() {
        return fifo != null;
    }
}
