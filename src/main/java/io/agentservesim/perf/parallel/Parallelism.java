package io.agentservesim.perf.parallel;

import io.agentservesim.error.InputException;

/**
 * The parallel layout of one engine instance beyond tensor parallelism, as the step-time factories
 * take it ({@code StepTimeModels.forGpu} and {@code roofline} with a {@code Parallelism}): expert
 * parallelism and MoE routing ({@link MoeRouting}), pipeline parallelism with micro-batches in flight
 * ({@link PipelineStepTimeModel}). Data-parallel replicas are separate instances (cluster.instances)
 * and need no field here.
 *
 * @param expertParallelSize   GPUs the experts of each MoE layer are spread over (vLLM
 *                             {@code --enable-expert-parallel}); 1 = none
 * @param routing              how tokens pick experts
 * @param zipfS                the Zipf exponent for {@code ZIPF} routing
 * @param pipelineParallelSize pipeline stages; 1 = none
 * @param microBatches         micro-batches in flight per step under pipeline parallelism
 */
public record Parallelism(int expertParallelSize, MoeRouting.Kind routing, double zipfS, int pipelineParallelSize,
        int microBatches) {
    /** No expert or pipeline parallelism, balanced routing: the factories' behaviour without it. */
    public static final Parallelism NONE = new Parallelism(1, MoeRouting.Kind.BALANCED, 0.0, 1, 1);

    public Parallelism {
        if (expertParallelSize < 1) {
            throw new InputException("expert_parallel_size must be >= 1, got " + expertParallelSize);
        }
        if (pipelineParallelSize < 1) {
            throw new InputException("pipeline_parallel_size must be >= 1, got " + pipelineParallelSize);
        }
        if (microBatches < 1) {
            throw new InputException("pipeline micro-batches must be >= 1, got " + microBatches);
        }
        if (routing == null) {
            throw new InputException("moe.routing must be balanced, uniform or zipf");
        }
    }

    /** Expert parallelism with this routing, no pipeline. */
    public static Parallelism experts(int ep, MoeRouting.Kind routing, double zipfS) {
        return new Parallelism(ep, routing, zipfS, 1, 1);
    }

    /** A pipeline of {@code pp} stages with {@code microBatches} micro-batches, no expert parallelism. */
    public static Parallelism pipeline(int pp, int microBatches) {
        return new Parallelism(1, MoeRouting.Kind.BALANCED, 0.0, pp, microBatches);
    }

    /** True when the MoE part differs from the balanced, single-rank default. */
    public boolean routesExperts() {
        return expertParallelSize > 1 || routing != MoeRouting.Kind.BALANCED;
    }
}
