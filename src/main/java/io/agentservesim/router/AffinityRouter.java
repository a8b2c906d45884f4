package io.agentservesim.router;

import java.util.List;

/**
 * Session affinity with a pressure escape: a turn goes back to its home instance (the one that ran the
 * program's previous turn and may still hold its KV) unless that instance's KV pressure exceeds the
 * limit; then, and for a program's first turn, it goes to the least-loaded instance ({@link LoadScore}).
 *
 * <p>Sticky sessions as in vLLM production-stack's {@code SessionRouter} and llm-d's session-affinity
 * scorer, with the overload escape of SGLang's cache-aware router reduced to a KV-pressure test. Left
 * out: consistent hashing of session keys (the simulator knows each program's home directly), and any
 * load test on the home beyond KV pressure. {@code homeInstance} is read as an index into the list.
 */
public final class AffinityRouter implements Router {
    public static final String NAME = "affinity";
    public static final double DEFAULT_PRESSURE_LIMIT = 0.9;

    private final double pressureLimit;

    public AffinityRouter() {
        this(DEFAULT_PRESSURE_LIMIT);
    }

    /** @param pressureLimit the home is kept while its {@link InstanceView#kvPressure()} is at most this, in [0, 1] */
    public AffinityRouter(double pressureLimit) {
        if (!(pressureLimit >= 0 && pressureLimit <= 1)) {
            throw new IllegalArgumentException("affinity pressure limit must be in [0, 1], got " + pressureLimit);
        }
        this.pressureLimit = pressureLimit;
    }

    public double pressureLimit() {
        return pressureLimit;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        int home = turn.homeInstance();
        if (home >= 0 && instances.get(home).kvPressure() <= pressureLimit) {
            return home;
        }
        return LoadScore.leastLoaded(instances);
    }
}
