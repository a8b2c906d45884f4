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
}
