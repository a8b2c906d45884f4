package io.agentservesim.residency;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The registry of retention policies by name: adding one is one class and one line here. */
public final class RetentionPolicies {
    private static final Map<String, Function<RetentionOptions, RetentionPolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(StockLruRetention.NAME, o -> new StockLruRetention());
        BY_NAME.put(EvictAlwaysRetention.NAME, o -> new EvictAlwaysRetention());
        BY_NAME.put(FixedTtlRetention.NAME, o -> new FixedTtlRetention(o.settings().of(FixedTtlRetention.NAME,
                TtlSettings.ofNs(o.ttlNs())).ttlNs()));
        BY_NAME.put(ContinuumRetention.NAME, o -> new ContinuumRetention(o.settings().of(ContinuumRetention.NAME,
                new ContinuumRetention.Settings(o.ttlNs() / 1e9, o.continuumThresholdNs() / 1e9))));
        BY_NAME.put(InferCeptRetention.NAME, o -> new InferCeptRetention(o.settings().of(InferCeptRetention.NAME,
                new InferCeptRetention.Settings(o.defaultGapNs() / 1e9))));
        BY_NAME.put(SagaRetention.NAME, o -> new SagaRetention(o.settings().of(SagaRetention.NAME,
                SagaRetention.Settings.of(o.ttlNs())), false));
        BY_NAME.put(SagaRetention.TOOL_TTL_NAME, o -> new SagaRetention(o.settings().of(SagaRetention.TOOL_TTL_NAME,
                SagaRetention.Settings.of(o.ttlNs())), true));
        BY_NAME.put(OffloadRetention.NAME, o -> new OffloadRetention(OffloadRetention.ReadBack.AT_ADMISSION));
        BY_NAME.put(OffloadRetention.ON_ARRIVAL_NAME, o -> new OffloadRetention(OffloadRetention.ReadBack.ON_ARRIVAL));
        BY_NAME.put(OffloadRetention.PREFETCH_NAME, o -> new OffloadRetention(OffloadRetention.ReadBack.BEFORE_RETURN,
                o.settings().of(OffloadRetention.PREFETCH_NAME, OffloadRetention.Settings.DEFAULTS)));
        BY_NAME.put(InvocationDistanceRetention.NAME, o -> new InvocationDistanceRetention(o.invocationDistance()));
        BY_NAME.put(GateRetention.NAME, o -> new GateRetention(o.settings().of(GateRetention.NAME, GateRetention.Settings.DEFAULTS)));
    }

    private RetentionPolicies() {
    }

    /** The policy, or IllegalArgumentException naming the valid ones. */
    public static RetentionPolicy create(String name, RetentionOptions options) {
        Function<RetentionOptions, RetentionPolicy> f = BY_NAME.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown retention policy '" + name + "'; expected one of " + BY_NAME.keySet());
        }
        return f.apply(options);
    }

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
