package io.agentservesim.kernel;

/** Something that receives events from the {@link Simulation} kernel. */
public interface EventTarget {
    /** Handles an event scheduled for this target; {@code payload} is what the scheduler passed. */
    void onEvent(long now, int payload);
}
