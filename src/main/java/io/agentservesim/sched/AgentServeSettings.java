package io.agentservesim.sched;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * AgentServe's settings ({@code scheduling.settings.agentserve} in YAML; defaults {@link #DEFAULTS}, listed in
 * reference.yaml).
 *
 * @param tpotTargetMs the decode stream's TPOT target the controller steers to
 * @param controlPeriodMs how often the controller compares the measured TPOT with the target
 * @param lowWatermark "well under" the target: TPOT below this fraction of it lets prefills have more
 * @param rMin decode's initial minimum SM share (0.1..0.9, a multiple of 0.1: one green-context slot)
 * @param rMinLow least decode share the controller may set
 * @param rMinHigh largest decode share the controller may set
 * @param bPrefill initial resume-prefill tokens per decode-stream step
 * @param bPrefillMin least resume budget (halving stops there)
 * @param bPrefillMax largest resume budget
 * @param bPrefillStep tokens added to the budget per period well under the target
 * @param feedback false: R_min and B_prefill stay at their initial values (the "without feedback" ablation)
 * @param smPartition false: the two streams take turns on the whole GPU (the "without SM partitioning" ablation)
 * @param smBandwidthGbps bytes one SM can pull from HBM per second, GB/s (Little's law; see SmShareStepTimeModel)
 */
public record AgentServeSettings(
        @JsonProperty("tpot_target_ms") double tpotTargetMs,
        @JsonProperty("control_period_ms") double controlPeriodMs,
        @JsonProperty("low_watermark") double lowWatermark,
        @JsonProperty("r_min") double rMin,
        @JsonProperty("r_min_low") double rMinLow,
        @JsonProperty("r_min_high") double rMinHigh,
        @JsonProperty("b_prefill") int bPrefill,
        @JsonProperty("b_prefill_min") int bPrefillMin,
        @JsonProperty("b_prefill_max") int bPrefillMax,
        @JsonProperty("b_prefill_step") int bPrefillStep,
        @JsonProperty("feedback") boolean feedback,
        @JsonProperty("sm_partition") boolean smPartition,
        @JsonProperty("sm_bandwidth_gbps") double smBandwidthGbps) {

    /** The reference defaults. */
    public static final AgentServeSettings DEFAULTS = new AgentServeSettings(50, 100, 0.8, 0.3, 0.1, 0.9, 512, 64,
            4096, 128, true, true, 41.0);

    /** A share as a whole number of 10 % slots, or IllegalArgumentException naming the field. */
    static int slot(String field, double share) {
        double tenths = share * 10;
        long slot = Math.round(tenths);
        if (Math.abs(tenths - slot) > 1e-9 || slot < 1 || slot > 9) {
            throw new IllegalArgumentException(field + ": expected one of 0.1, 0.2, ..., 0.9 "
                    + "(a green-context slot, the rest for prefills), got " + share);
        }
        return (int) slot;
    }

    /** Checks every field; IllegalArgumentException naming the first bad one. */
    public AgentServeSettings {
        positive("tpot_target_ms", tpotTargetMs);
        positive("control_period_ms", controlPeriodMs);
        if (!(lowWatermark > 0 && lowWatermark < 1)) {
            throw new IllegalArgumentException("low_watermark: expected in (0, 1), got " + lowWatermark);
        }
        int lo = slot("r_min_low", rMinLow);
        int hi = slot("r_min_high", rMinHigh);
        int r = slot("r_min", rMin);
        if (lo > r || r > hi) {
            throw new IllegalArgumentException("expected r_min_low <= r_min <= r_min_high, got "
                    + rMinLow + ", " + rMin + ", " + rMinHigh);
        }
        if (bPrefillMin < 0 || bPrefillMin > bPrefill || bPrefill > bPrefillMax) {
            throw new IllegalArgumentException("expected 0 <= b_prefill_min <= b_prefill <= "
                    + "b_prefill_max, got " + bPrefillMin + ", " + bPrefill + ", " + bPrefillMax);
        }
        if (bPrefillStep < 0) {
            throw new IllegalArgumentException("b_prefill_step: expected >= 0, got " + bPrefillStep);
        }
        positive("sm_bandwidth_gbps", smBandwidthGbps);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(field + ": expected > 0, got " + v);
        }
    }
}
