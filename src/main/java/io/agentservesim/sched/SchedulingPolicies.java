package io.agentservesim.sched;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The registry of scheduling policies by name: adding one is one class and one line here. */
public final class SchedulingPolicies {
    private static final Map<String, Supplier<SchedulingPolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(FcfsPolicy.NAME, FcfsPolicy::new);
        BY_NAME.put(ProgramFcfsPolicy.NAME, ProgramFcfsPolicy::new);
        BY_NAME.put(PlasPolicy.NAME, PlasPolicy::new);
        BY_NAME.put(PinnedFirstPolicy.NAME, PinnedFirstPolicy::new);
    }

    private SchedulingPolicies() {
    }

    /** The policy, or IllegalArgumentException naming the valid ones. */
    public static SchedulingPolicy create(String name) {
        Supplier<SchedulingPolicy> s = BY_NAME.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown scheduling policy '" + name + "'; expected one of " + BY_NAME.keySet());
        }
        return s.get();
    }

    public static Iterable<String> names() {
        return BY_NAME.keySet();
    }
}
