package io.agentservesim.perf;

/**
 * Duration of one engine step that several engine cores take together: the data-parallel ranks of an MoE
 * model, which vLLM runs in lockstep because every MoE layer exchanges tokens among them. Each rank
 * brings its own batch; a rank with nothing to run brings an empty one and runs a dummy batch.
 */
public interface LockstepStepTimeModel {
    /**
     * Nanoseconds of the step in which rank i runs {@code ranks[i]} (empty = a dummy batch), host overhead
     * excluded. May record on each batch the token count the ranks agreed on ({@link BatchShape#setDpTokens}).
     * Must not allocate.
     */
    long stepTimeNs(BatchShape[] ranks);

    /** Where the answer comes from, e.g. "dp2xep2(profile:...)". */
    String source();
}
