package io.agentservesim.router;

import java.util.List;

/**
 * Cycles over the instances in index order, whatever the program or load: the baseline of every router
 * (SGLang router and vLLM production-stack {@code RoundRobinRouter}). Not thread-safe.
 */
public final class RoundRobinRouter implements Router {
    public static final String NAME = "round-robin";

    private int next;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        LoadScore.requireAny(instances);
        int chosen = next % instances.size();
        next = chosen + 1;
        return chosen;
    }
}
