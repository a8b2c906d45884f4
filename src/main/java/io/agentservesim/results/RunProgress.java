package io.agentservesim.results;

/**
 * Watches a run as it goes (a progress display): it receives every result like any listener and, every
 * few thousand events, the simulated clock. Implementations must be cheap per record (a counter).
 */
public interface RunProgress extends RunListener {
    /** The simulated clock, called from the event loop every few thousand events. */
    void tick(long simNowNs);

    /** The run ended (normally or not): stop drawing. */
    void done();
}
