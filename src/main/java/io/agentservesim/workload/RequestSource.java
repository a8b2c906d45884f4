package io.agentservesim.workload;

import java.util.Iterator;

/**
 * A stream of requests in arrival order, pulled one at a time so that a long trace or a large
 * synthetic workload never has to sit in memory. Closing releases the underlying file, if any.
 * {@link #hasNext()} and {@link #next()} throw {@link io.agentservesim.error.InputException} when the
 * input turns out to be bad part-way through.
 */
public interface RequestSource extends Iterator<RequestSpec>, AutoCloseable {
    @Override
    void close();

    /** How many requests this source will yield, when it knows without reading ahead (a generator); else -1. */
    default long expectedRequests() {
        return -1;
    }
}
