package io.agentservesim.router;

/**
 * What the routers may be configured with.
 *
 * @param seed                  seed of {@link RandomRouter}'s stream
 * @param affinityPressureLimit KV pressure above which {@link AffinityRouter} leaves the home instance, in [0, 1]
 */
public record RouterOptions(long seed, double affinityPressureLimit) {
    public RouterOptions {
        if (!(affinityPressureLimit >= 0 && affinityPressureLimit <= 1)) {
            throw new IllegalArgumentException("affinity pressure limit must be in [0, 1], got " + affinityPressureLimit);
        }
    }

    /** Seed 0 and the default pressure limit 0.9. */
    public static RouterOptions defaults() {
        return new RouterOptions(0L, AffinityRouter.DEFAULT_PRESSURE_LIMIT);
    }
}
