package io.agentservesim.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The registry of routers by name: adding one is one class and one line here. */
public final class Routers {
    private static final Map<String, Function<RouterOptions, Router>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(LoadRouter.NAME, o -> new LoadRouter());
        BY_NAME.put(RoundRobinRouter.NAME, o -> new RoundRobinRouter());
        BY_NAME.put(RandomRouter.NAME, o -> new RandomRouter(o.seed()));
        BY_NAME.put(AffinityRouter.NAME, o -> new AffinityRouter(o.affinityPressureLimit()));
        BY_NAME.put(PrefixAwareRouter.NAME, o -> new PrefixAwareRouter());
        BY_NAME.put(SagaRouter.NAME, o -> new SagaRouter(o.capacityLimit()));
    }

    private static final List<String> NAMES = List.copyOf(BY_NAME.keySet());

    private Routers() {
    }

    /** A new router, or IllegalArgumentException naming the valid ones. */
    public static Router create(String name, RouterOptions options) {
        Function<RouterOptions, Router> factory = BY_NAME.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown router '" + name + "'; expected one of " + NAMES);
        }
        return factory.apply(options);
    }

    /** The valid names, in registration order. */
    public static List<String> names() {
        return NAMES;
    }
}
