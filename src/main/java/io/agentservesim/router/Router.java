package io.agentservesim.router;

import java.util.List;

/** Picks the instance for each ready turn (the Session-Aware Router). One class per policy. */
public interface Router {
    /** Stable kebab-case name used in configs. */
    String name();

    /** Index into {@code instances} of the instance that serves {@code turn}. */
    int route(TurnToRoute turn, List<? extends InstanceView> instances);
}
