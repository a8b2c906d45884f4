package io.agentservesim.engine;

import io.agentservesim.perf.BatchShape;

/**
 * Sees every engine step as it is launched: its start, duration and batch. For models that account per
 * step (power and energy); must not allocate or keep the batch, which is reused.
 */
@FunctionalInterface
public interface StepObserver {
    void onStep(int instanceId, long startNs, long durationNs, BatchShape batch);

    StepObserver NONE = (instance, start, duration, batch) -> { };
}
