package io.agentservesim.perf;

/** Duration of one engine step (one forward pass of the whole batch) on one instance. */
public interface StepTimeModel {
    /** Simulated nanoseconds that the step with this batch takes on the GPU(s), host overhead excluded. */
    long stepTimeNs(BatchShape batch);

    /** Where the answer comes from, e.g. "profile:RTX4090/meta-llama/Llama-3.1-8B/tp1". */
    String source();
}
