package io.agentservesim.residency;

/**
 * SAGA's pressure-scaled TTL pinning (Guo, Wu, Yiu, "SAGA: Workflow-Atomic Scheduling for AI Agent
 * Inference on GPU Clusters", HPDC '26, arXiv 2605.00528), with the rule of its released artifact as the
 * AgentServeSim issue 14 quotes it: at a turn's end a program that calls a tool keeps its KV pinned for
 *
 * <pre>
 *   TTL = base x (1 - 0.5 m),   m = clip((u - 0.7) / (0.9 - 0.7), 0, 1)
 * </pre>
 * where u is the instance's KV utilisation at that moment (locked + pinned blocks over usable blocks), so
 * pins are full length below 70 % use and half length above 90 %. {@code saga}: base = tau (the configured
 * TTL). {@code saga-tool-ttl}: base = the p95 of a log-normal fitted per tool with exponential weights
 * (0.2 on the newest gap, {@link GapStats#emaLognormalQuantileNs}), capped at 300 s; tau before the
 * tool's first observed gap (cold start). A program that calls no tool (done) releases.
 *
 * <p>With {@code workflow_eviction} the instance also orders its prefix cache's evictions by SAGA's score
 * ({@link SagaEvictionOrder}); SAGA's router is {@code router.SagaRouter}. Left out: its prefetch 0.5 s
 * before the predicted return.
 */
public final class SagaRetention implements RetentionPolicy {
    public static final String NAME = "saga";
    public static final String TOOL_TTL_NAME = "saga-tool-ttl";
    static final double QUANTILE = 0.95;
    static final double PRESSURE_LOW = 0.7;
    static final double PRESSURE_HIGH = 0.9;
    static final double MAX_CUT = 0.5;
    static final double CAP_NS = 300e9;

    /**
     * {@code kv.settings.saga} / {@code kv.settings.saga-tool-ttl}: tau (default the global {@code kv.ttl_s}),
     * and SAGA's workflow-aware eviction order ({@link SagaEvictionOrder}), off by default, recomputed at most
     * every {@code eviction_interval_s}, charging shared prefix blocks to each program's size by {@code
     * prefix_charging} ({@link PrefixCharging}; {@code split}, the artifact's rule, by default).
     */
    public record Settings(@com.fasterxml.jackson.annotation.JsonProperty("ttl_s") double ttlS,
                           @com.fasterxml.jackson.annotation.JsonProperty("workflow_eviction") boolean workflowEviction,
                           @com.fasterxml.jackson.annotation.JsonProperty("eviction_interval_s") double evictionIntervalS,
                           @com.fasterxml.jackson.annotation.JsonProperty("prefix_charging") PrefixCharging prefixCharging) {
        public Settings {
            if (prefixCharging == null) {
                throw new IllegalArgumentException("prefix_charging: expected one of full, split, holder");
            }
            if (!(ttlS > 0) || Double.isInfinite(ttlS)) {
                throw new IllegalArgumentException("ttl_s: expected a number of seconds > 0, got " + ttlS);
            }
            if (!(evictionIntervalS > 0) || Double.isInfinite(evictionIntervalS)) {
                throw new IllegalArgumentException("eviction_interval_s: expected a number of seconds > 0, got "
                        + evictionIntervalS);
            }
        }

        static Settings of(long ttlNs) {
            return new Settings(ttlNs / 1e9, false, 1.0, PrefixCharging.SPLIT);
        }
    }

    private final long tauNs;
    private final boolean toolTtl;
    private final Settings settings;

    public SagaRetention(long tauNs, boolean toolTtl) {
        this(Settings.of(PinDeadline.requirePositive(tauNs, "saga ttl")), toolTtl);
    }

    public SagaRetention(Settings s, boolean toolTtl) {
        this.settings = s;
        this.tauNs = Math.round(s.ttlS() * 1e9);
        this.toolTtl = toolTtl;
    }

    /** Whether SAGA's workflow-aware eviction order runs, and how often it is recomputed (ns; 0 when off). */
    long evictionIntervalNs() {
        return settings.workflowEviction() ? Math.round(settings.evictionIntervalS() * 1e9) : 0;
    }

    /** How the eviction order charges shared prefix blocks to each program's size. */
    PrefixCharging prefixCharging() {
        return settings.prefixCharging();
    }

    @Override
    public String name() {
        return toolTtl ? TOOL_TTL_NAME : NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        if (ctx.toolName() == null) {
            return RetentionDecision.RELEASE;
        }
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), ttlNs(ctx)));
    }

    /** The TTL this context gets: base (tau or the tool's p95, capped) times the pressure scale. */
    double ttlNs(RetentionContext ctx) {
        double base = tauNs;
        if (toolTtl && ctx.toolGaps().count() > 0) {
            base = Math.min(CAP_NS, ctx.toolGaps().emaLognormalQuantileNs(QUANTILE));
        }
        return Math.round(base * pressureScale(ctx.pressure())); // whole ns: 0.1 / 0.2 is not exactly 0.5
    }

    /** 1 - 0.5 m with m the utilisation's position between 0.7 and 0.9, clipped to [0, 1]. */
    static double pressureScale(double utilisation) {
        double m = Math.min(1, Math.max(0, (utilisation - PRESSURE_LOW) / (PRESSURE_HIGH - PRESSURE_LOW)));
        return 1 - MAX_CUT * m;
    }
}
