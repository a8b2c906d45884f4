package io.agentservesim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The discrete-event kernel: one clock (long nanoseconds) and one event queue. Only the kernel advances
 * the clock; scheduling into the past throws. Targets register once and get a dense id; an event's
 * int handle packs (target id, payload) so the queue stays primitive.
 */
public final class Simulation {
    private static final int TARGET_BITS = 10;
    private static final int MAX_TARGETS = 1 << TARGET_BITS;
    private static final int PAYLOAD_LIMIT = 1 << (31 - TARGET_BITS);

    private final EventQueue queue = new EventQueue(1024);
    private final List<EventTarget> targets = new ArrayList<>();
    private long now;
    private long eventsProcessed;

    public int register(EventTarget target) {
        if (targets.size() == MAX_TARGETS) {
            throw new IllegalStateException("at most " + MAX_TARGETS + " event targets");
        }
        targets.add(target);
        return targets.size() - 1;
    }

    public long now() {
        return now;
    }

    public long eventsProcessed() {
        return eventsProcessed;
    }

    /** Schedules {@code payload} for target {@code targetId} at absolute time {@code at}. */
    public void schedule(long at, int targetId, int payload) {
        if (at < now) {
            throw new IllegalStateException("event at " + at + " ns is before the clock " + now + " ns");
        }
        if (payload < 0 || payload >= PAYLOAD_LIMIT) {
            throw new IllegalArgumentException("payload out of range: " + payload);
        }
        queue.push(at, (payload << TARGET_BITS) | targetId);
    }

    /** Runs until no event is left. */
    public void run() {
        while (!queue.isEmpty()) {
            long t = queue.peekTime();
            int h = queue.peekHandle();
            queue.pop();
            now = t;
            eventsProcessed++;
            targets.get(h & (MAX_TARGETS - 1)).onEvent(t, h >>> TARGET_BITS);
        }
    }
}
