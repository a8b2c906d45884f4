package io.agentservesim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The discrete-event kernel: one clock (long nanoseconds) and one event queue. Only the kernel advances
 * the clock; scheduling into the past throws. Targets register once and get a dense id; an event's
 * long handle packs (payload, target id) as two ints, so the queue stays primitive and neither is capped
 * below {@code Integer.MAX_VALUE} (an int handle with 10 target bits stopped a cluster at 512 instances).
 */
public final class Simulation {
    /** The loop looks at its thread's interrupt flag every 4,096 events: a mask test per event. */
    private static final long INTERRUPT_CHECK_MASK = 4095;
    private final EventQueue queue = new EventQueue(1024);
    private final List<EventTarget> targets = new ArrayList<>();
    private long now;
    private long eventsProcessed;
    /** Told the clock every {@link #tickEvery} events (a progress display); null when nobody watches. */
    private Ticker ticker;
    private int tickEvery = Integer.MAX_VALUE;

    /** Watches a run from inside the event loop; called rarely, on the simulation thread. */
    public interface Ticker {
        void tick(long nowNs);
    }

    /**
     * Calls {@code t} every {@code everyEvents} events, so a watcher costs the loop one counter check per
     * event, not a clock read; the watcher decides itself how often it redraws.
     */
    public void setTicker(Ticker t, int everyEvents) {
        if (everyEvents < 1) {
            throw new IllegalArgumentException("everyEvents must be >= 1: " + everyEvents);
        }
        this.ticker = t;
        this.tickEvery = everyEvents;
    }

    public int register(EventTarget target) {
        if (targets.size() == Integer.MAX_VALUE) {
            throw new IllegalStateException("at most " + Integer.MAX_VALUE + " event targets");
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

    /**
     * Time of the earliest pending event, {@code Long.MAX_VALUE} when none is left. A target handling an event
     * may use it as a bound: work of its own that ends strictly before it would be the next event anyway.
     */
    public long nextEventTime() {
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peekTime();
    }

    /** Schedules {@code payload} for target {@code targetId} at absolute time {@code at}. */
    public void schedule(long at, int targetId, int payload) {
        if (at < now) {
            throw new IllegalStateException("event at " + at + " ns is before the clock " + now + " ns");
        }
        if (payload < 0) {
            throw new IllegalArgumentException("payload out of range: " + payload);
        }
        queue.push(at, ((long) payload << 32) | targetId);
    }

    /** Runs until no event is left. */
    public void run() {
        int untilTick = tickEvery;
        while (!queue.isEmpty()) {
            long t = queue.peekTime();
            long h = queue.peekHandle();
            queue.pop();
            now = t;
            eventsProcessed++;
            targets.get((int) h).onEvent(t, (int) (h >>> 32));
            if ((eventsProcessed & INTERRUPT_CHECK_MASK) == 0 && Thread.currentThread().isInterrupted()) {
                // Whoever runs simulations on a pool (a sweep's cancelled cell, a test's watchdog) stops one here.
                throw new java.util.concurrent.CancellationException("simulation interrupted at " + t + " ns");
            }
            if (--untilTick == 0) {
                untilTick = tickEvery;
                if (ticker != null) {
                    ticker.tick(t);
                }
            }
        }
    }
}
