package io.agentservesim.residency;

/**
 * Parameters of the retention policies, all in ns.
 *
 * @param ttlNs the TTL of {@code fixed-ttl} and {@code continuum}, and SAGA's TTL before it has two
 *     observations of a tool
 * @param continuumThresholdNs Continuum pins only tools whose observed mean gap is at most this
 * @param defaultGapNs InferCept's expected interception time when neither the tool nor the program has
 *     any observed gap yet
 * @param invocationDistance settings of {@code invocation-distance}
 * @param settings the per-policy settings sections ({@code kv.settings.<policy>}) of policies that have one
 */
public record RetentionOptions(long ttlNs, long continuumThresholdNs, long defaultGapNs,
        InvocationDistanceOptions invocationDistance, io.agentservesim.sched.PolicySettings settings) {
    private static final long SECOND_NS = 1_000_000_000L;

    public RetentionOptions {
        PinDeadline.requirePositive(ttlNs, "retention ttl");
        PinDeadline.requirePositive(continuumThresholdNs, "retention continuum threshold");
        PinDeadline.requirePositive(defaultGapNs, "retention default gap");
        java.util.Objects.requireNonNull(invocationDistance, "invocationDistance");
        java.util.Objects.requireNonNull(settings, "settings");
    }

    /** Every policy with its own settings at their defaults. */
    public RetentionOptions(long ttlNs, long continuumThresholdNs, long defaultGapNs,
            InvocationDistanceOptions invocationDistance) {
        this(ttlNs, continuumThresholdNs, defaultGapNs, invocationDistance, io.agentservesim.sched.PolicySettings.DEFAULTS);
    }

    /** With {@code invocation-distance} at ScaleSim's released settings. */
    public RetentionOptions(long ttlNs, long continuumThresholdNs, long defaultGapNs) {
        this(ttlNs, continuumThresholdNs, defaultGapNs, InvocationDistanceOptions.defaults());
    }

    /** 5 s TTL, 5 s Continuum threshold, 5 s default gap: our defaults, not the papers'. */
    public static RetentionOptions defaults() {
        return new RetentionOptions(5 * SECOND_NS, 5 * SECOND_NS, 5 * SECOND_NS);
    }
}
