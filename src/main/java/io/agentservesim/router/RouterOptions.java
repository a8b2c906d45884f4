package io.agentservesim.router;

/**
 * What the routers may be configured with.
 *
 * @param seed                  seed of {@link RandomRouter}'s stream
 * @param affinityPressureLimit KV pressure above which {@link AffinityRouter} leaves the home instance, in [0, 1]
 * @param capacityLimit turns in flight (waiting + running) at which {@link SagaRouter} leaves the instance holding
 *     the context
 */
public record RouterOptions(long seed, double affinityPressureLimit, int capacityLimit) {
    public RouterOptions {
        if (!(affinityPressureLimit >= 0 && affinityPressureLimit <= 1)) {
            throw new IllegalArgumentException("affinity pressure limit must be in [0, 1], got " + affinityPressureLimit);
        }
        if (capacityLimit < 1) {
            throw new IllegalArgumentException("capacity limit must be >= 1 turn in flight, got " + capacityLimit);
        }
    }

    public RouterOptions(long seed, double affinityPressureLimit) {
        this(seed, affinityPressureLimit, SagaRouter.DEFAULT_CAPACITY_LIMIT);
    }

    /** Seed 0, the default pressure limit 0.9 and capacity limit. */
    public static RouterOptions defaults() {
        return new RouterOptions(0L, AffinityRouter.DEFAULT_PRESSURE_LIMIT);
    }
}
