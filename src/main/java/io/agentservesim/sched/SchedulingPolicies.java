package io.agentservesim.sched;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of scheduling policies by name: adding one is one class and one line here. */
public final class SchedulingPolicies {
    private static final Map<String, Function<AgentServeSettings, SchedulingPolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(FcfsPolicy.NAME, s -> new FcfsPolicy());
        BY_NAME.put(ProgramFcfsPolicy.NAME, s -> new ProgramFcfsPolicy());
        BY_NAME.put(PlasPolicy.NAME, s -> new PlasPolicy());
        BY_NAME.put(PinnedFirstPolicy.NAME, s -> new PinnedFirstPolicy());
        BY_NAME.put(AgentServePolicy.NAME, AgentServePolicy::new);
        BY_NAME.put(SglangPolicy.NAME, s -> new SglangPolicy());
        BY_NAME.put(LlamaCppPolicy.NAME, s -> new LlamaCppPolicy());
    }

    private SchedulingPolicies() {
    }

    /** The policy, or IllegalArgumentException naming the valid ones. */
    public static SchedulingPolicy create(String name) {
        return create(name, AgentServeSettings.DEFAULTS);
    }

    /** The policy with its settings section ({@code scheduling.agentserve} for agentserve). */
    public static SchedulingPolicy create(String name, AgentServeSettings agentServe) {
        Function<AgentServeSettings, SchedulingPolicy> s = BY_NAME.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scheduling policy '" + name + "'; expected one of " + BY_NAME.keySet());
        }
        return s.apply(agentServe);
    }

    public static Iterable<String> names() {
        return BY_NAME.keySet();
    }
}
