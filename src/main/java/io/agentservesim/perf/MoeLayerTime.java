package io.agentservesim.perf;

/**
 * The expert-FFN time of one MoE layer on one rank against (tokens on the rank, distinct experts
 * activated), in microseconds: a measured {@link MoeTable}, or a table re-priced for a setting it was
 * not measured in (e.g. {@code io.agentservesim.perf.roofline.TpShardedMoeTable}). Called once per layer
 * kind per step: implementations must not allocate.
 */
public interface MoeLayerTime {
    /** Expert-FFN time in µs for {@code tokens} tokens activating {@code activatedExperts} experts. */
    double timeUs(double tokens, double activatedExperts);

    /** What a step-time source should say about this pricing, or "" for a table used as measured. */
    default String note() {
        return "";
    }

    /** {@code time} unchanged, with {@code note} for the step-time source. */
    static MoeLayerTime noted(MoeLayerTime time, String note) {
        return new MoeLayerTime() {
            @Override
            public double timeUs(double tokens, double activatedExperts) {
                return time.timeUs(tokens, activatedExperts);
            }

            @Override
            public String note() {
                return note;
            }
        };
    }
}
