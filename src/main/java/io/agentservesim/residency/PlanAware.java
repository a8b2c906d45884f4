package io.agentservesim.residency;

import io.agentservesim.world.InvocationHints;

/**
 * A retention policy that reads the plan of a multi-agent simulation: the invocation-distance hints published
 * at each world step. The only way hints reach a policy; policies that do not implement this never see them.
 */
public interface PlanAware {
    void onWorldStep(InvocationHints hints, long now);
}
