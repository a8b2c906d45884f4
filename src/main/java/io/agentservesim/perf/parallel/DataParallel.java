package io.agentservesim.perf.parallel;

import io.agentservesim.perf.LockstepStepTimeModel;

/**
 * The data parallelism of one served deployment (vLLM {@code --data-parallel-size}): {@code size} engine
 * cores (ranks), each with its own scheduler, KV cache and GPUs, behind one front end. vLLM runs the ranks
 * of an MoE model in lockstep ({@code DPEngineCoreProc}: every MoE layer exchanges tokens among them), priced
 * by {@code lockstep}; the ranks of a dense model are independent engines ("Non-MoE DP ranks are completely
 * independent", {@code vllm/v1/engine/core.py run_engine_core}), and {@code lockstep} is null.
 *
 * @param size     ranks; 1 = no data parallelism
 * @param lockstep the step time of the lockstep group, or null when the ranks step independently
 */
public record DataParallel(int size, LockstepStepTimeModel lockstep) {
    /** One engine core. */
    public static final DataParallel NONE = new DataParallel(1, null);

    public DataParallel {
        if (size < 1) {
            throw new IllegalArgumentException("data_parallel_size must be >= 1, got " + size);
        }
        if (size == 1 && lockstep != null) {
            throw new IllegalArgumentException("a lockstep group needs data_parallel_size >= 2");
        }
    }

    /** {@code size} independent ranks (a dense model). */
    public static DataParallel independent(int size) {
        return new DataParallel(size, null);
    }

    /** Whether the ranks step together. */
    public boolean lockstepped() {
        return lockstep != null;
    }
}
