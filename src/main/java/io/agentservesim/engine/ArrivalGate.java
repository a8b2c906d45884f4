package io.agentservesim.engine;

/**
 * Decides when an arriving request may join the waiting queue: at once, or after its KV has been read
 * back from a slower tier (the KV Residency Model implements it).
 */
public interface ArrivalGate {
    /** When {@code r}, arriving at {@code now}, may enter the waiting queue (>= now). */
    long readyAt(Request r, long now);

    /** {@code r}'s wait is over: make what it waited for usable. */
    void onReady(Request r);

    ArrivalGate OPEN = new ArrivalGate() {
        @Override
        public long readyAt(Request r, long now) {
            return now;
        }

        @Override
        public void onReady(Request r) {
        }
    };
}
