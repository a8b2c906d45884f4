package io.agentservesim.program;

import java.util.Iterator;

/**
 * A stream of agent programs in arrival order, pulled one at a time so that memory grows with the
 * programs being simulated, not with the trace. Closing releases the underlying file, if any.
 * {@link #hasNext()} and {@link #next()} throw {@link io.agentservesim.error.InputException} when the
 * input turns out to be bad part-way through.
 */
public interface ProgramSource extends Iterator<Program>, AutoCloseable {
    @Override
    void close();

    /**
     * How many programs this source will yield, when it knows without reading ahead (a generator); -1 when
     * it does not (a trace is read as it goes). For the progress bar's ETA and the output-size warning.
     */
    default long expectedPrograms() {
        return -1;
    }
}
