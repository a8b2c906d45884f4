package io.agentservesim.sched;

import io.agentservesim.engine.StreamSplit;

/**
 * AgentServe (arXiv 2603.10342) on one GPU: cold prefills in their own stream, decodes and budgeted resume
 * prefills in a decode stream that is planned first (decode priority), the two on disjoint SM shares set by
 * the {@link TpotFeedbackController} (or, with {@code sm_partition: false}, taking turns on the whole GPU).
 * Turns wait first come, first served in two queues, cold and resume ({@link io.agentservesim.engine.PrefillKind}
 * by a prefix-cache lookup on arrival). The paper's official code is not public; what is modelled is what its
 * text describes. Left out: its per-slot context warm-up and the cost of switching green contexts.
 */
public final class AgentServePolicy implements FcfsOrder {
    public static final String NAME = "agentserve";

    private final AgentServeSettings settings;
    private final TpotFeedbackController controller;

    public AgentServePolicy(AgentServeSettings settings) {
        this.settings = settings;
        this.controller = new TpotFeedbackController(settings);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StreamSplit streams() {
        return new StreamSplit(settings.smPartition(), true, true, controller);
    }

    public AgentServeSettings settings() {
        return settings;
    }

    public TpotFeedbackController controller() {
        return controller;
    }
}
