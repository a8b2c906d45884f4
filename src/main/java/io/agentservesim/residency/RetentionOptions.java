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
 */
public record RetentionOptions(long ttlNs, long continuumThresholdNs, long defaultGapNs,
        InvocationDistanceOptions invocationDistance) {
    private static final long SECOND_NS = 1_000_000_000L;

    public RetentionOptions {
        PinDeadline.requirePositive(ttlNs, "retention ttl");
        PinDeadline.requirePositive(continuumThresholdNs, "retention continuum threshold");
        PinDeadline.requirePositive(defaultGapNs, "retention default gap");
        java.util.Objects.requireNonNull(invocationDistance, "invocationDistance");
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
