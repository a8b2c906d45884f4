package io.agentservesim.results;

import io.agentservesim.router.RouterCounters;

/**
 * What the cluster counted over a run, read once at its end: routing, KV residency (bytes offloaded to and
 * restored from host tiers, pins), engine steps, simulated and wall time, and what the run was.
 *
 * @param simulatedNs when the last engine step (or program) ended; time the outputs' sampler ticks on after is not counted
 * @param model the served model's name
 * @param stepTimeSource which step-time model answered (the distinct sources of a heterogeneous cluster, joined)
 * @param instances serving instances
 * @param gpus GPUs over all instances (tensor-parallel degree each)
 */
public record RunCounters(RouterCounters router, long offloadedBytes, long restoredBytes, long pinsUsed,
                          long pinsBroken, long pinsExpired, long steps, long simulatedNs, long wallNs,
                          String model, String stepTimeSource, int instances, int gpus) {

    /** Before the run has ended (a summary that was never finished). */
    public static RunCounters none() {
        return new RunCounters(new RouterCounters(), 0, 0, 0, 0, 0, 0, 0, 0, "", "", 0, 0);
    }
}
