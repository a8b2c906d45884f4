package io.agentservesim.sched;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The registry of scheduling policies by name: adding one is one class and one line here. */
public final class SchedulingPolicies {
    private static final Map<String, Function<PolicySettings, SchedulingPolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(FcfsPolicy.NAME, s -> new FcfsPolicy());
        BY_NAME.put(ProgramFcfsPolicy.NAME, s -> new ProgramFcfsPolicy());
        BY_NAME.put(PlasPolicy.NAME, s -> new PlasPolicy());
        BY_NAME.put(PinnedFirstPolicy.NAME, s -> new PinnedFirstPolicy());
        BY_NAME.put(GatePolicy.NAME, s -> new GatePolicy(s.of(GatePolicy.NAME, GatePolicy.Settings.DEFAULTS)));
        BY_NAME.put(AutellixMlfqPolicy.NAME, s -> new AutellixMlfqPolicy(s.of(AutellixMlfqPolicy.NAME, AutellixMlfqPolicy.Settings.DEFAULTS)));
        BY_NAME.put(AgentServePolicy.NAME, s -> new AgentServePolicy(s.of(AgentServePolicy.NAME, AgentServeSettings.DEFAULTS)));
        BY_NAME.put(SglangPolicy.NAME, s -> new SglangPolicy());
        BY_NAME.put(LlamaCppPolicy.NAME, s -> new LlamaCppPolicy());
    }

    private SchedulingPolicies() {
    }

    /** The policy with its settings section from {@code settings}, or IllegalArgumentException naming the valid ones. */
    public static SchedulingPolicy create(String name, PolicySettings settings) {
        Function<PolicySettings, SchedulingPolicy> f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown scheduling policy '" + name + "'; expected one of " + BY_NAME.keySet());
        }
        return f.apply(settings);
    }

    /** The policy at its default settings. */
    public static SchedulingPolicy create(String name) {
        return create(name, PolicySettings.DEFAULTS);
    }

    public static java.util.List<String> names() {
        return java.util.List.copyOf(BY_NAME.keySet());
    }
}
