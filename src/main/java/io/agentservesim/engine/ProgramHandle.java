package io.agentservesim.engine;

/**
 * What the engine's policies may know about the agent program a request (a turn) belongs to: only the
 * past and present, never the program's future (remaining turns, next gap, output length).
 */
public interface ProgramHandle {
    int programId();

    /** When the program arrived. */
    long programArrivalNs();

    /** GPU time the program's finished turns have used so far (Autellix's attained service). */
    long attainedServiceNs();

    /** Whether the program's KV is currently held (pinned) for it on this request's instance. */
    boolean kvPinned();
}
