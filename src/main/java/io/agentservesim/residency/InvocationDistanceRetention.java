package io.agentservesim.residency;

/**
 * ScaleSim's invocation-distance KV management (arXiv 2601.21473; PanZaifeng/KVFlow
 * {@code srt/managers/agent_manager.py}, {@code srt/mem_cache/hiradix_cache.py},
 * {@code srt/managers/scheduler_output_processor_mixin.py DispatchLoadTasks}) as a retention policy. At turn
 * end the agent's KV is written through to the host tier (HiCache's default {@code write_through}; released
 * into the GPU prefix cache without a tier). The two mechanisms driven by the simulation's hints run in
 * {@link InvocationDistanceCache}: priority eviction (state of agents due soonest is evicted last) and
 * prefetch ahead (KV of agents due within {@code load_ahead_step} steps, those calling now first, is read
 * back into the GPU prefix cache when the hints arrive). Without hints (agent programs, traces without
 * a hint map) it is {@code offload}.
 */
public final class InvocationDistanceRetention implements RetentionPolicy, PlanAware {
    public static final String NAME = "invocation-distance";

    private final InvocationDistanceOptions options;

    public InvocationDistanceRetention(InvocationDistanceOptions options) {
        this.options = options;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return ctx.hasHostTier() ? RetentionDecision.OFFLOAD : RetentionDecision.RELEASE;
    }

    @Override
    public int evictPriorityLevel() {
        return options.priorityEviction() ? options.evictPriorityLevel() : 1;
    }

    @Override
    public int loadAheadSteps() {
        return options.prefetch() ? options.loadAheadStep() : -1;
    }

    @Override
    public boolean managesKv() {
        return options.kv();
    }

    @Override
    public boolean managesAdapters() {
        return options.adapters();
    }
}
