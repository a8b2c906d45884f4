package io.agentservesim.sched;

/**
 * AgentServe's settings ({@code scheduling.agentserve} in YAML; defaults in reference.yaml).
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
public record AgentServeSettings(double tpotTargetMs, double controlPeriodMs, double lowWatermark, double rMin,
                                 double rMinLow, double rMinHigh, int bPrefill, int bPrefillMin, int bPrefillMax,
                                 int bPrefillStep, boolean feedback, boolean smPartition, double smBandwidthGbps) {

    /** The reference defaults. */
    public static final AgentServeSettings DEFAULTS = new AgentServeSettings(50, 100, 0.8, 0.3, 0.1, 0.9, 512, 64,
            4096, 128, true, true, 41.0);

    /** A share as a whole number of 10 % slots, or IllegalArgumentException naming the field. */
    static int slot(String field, double share) {
        double tenths = share * 10;
        long slot = Math.round(tenths);
        if (Math.abs(tenths - slot) > 1e-9 || slot < 1 || slot > 9) {
            throw new IllegalArgumentException("scheduling.agentserve." + field + ": expected one of 0.1, 0.2, ..., 0.9 "
                    + "(a green-context slot, the rest for prefills), got " + share);
        }
        return (int) slot;
    }

    /** Checks every field; IllegalArgumentException naming the first bad one. */
    public AgentServeSettings {
        positive("tpot_target_ms", tpotTargetMs);
        positive("control_period_ms", controlPeriodMs);
        if (!(lowWatermark > 0 && lowWatermark < 1)) {
            throw new IllegalArgumentException("scheduling.agentserve.low_watermark: expected in (0, 1), got " + lowWatermark);
        }
        int lo = slot("r_min_low", rMinLow);
        int hi = slot("r_min_high", rMinHigh);
        int r = slot("r_min", rMin);
        if (lo > r || r > hi) {
            throw new IllegalArgumentException("scheduling.agentserve: expected r_min_low <= r_min <= r_min_high, got "
                    + rMinLow + ", " + rMin + ", " + rMinHigh);
        }
        if (bPrefillMin < 0 || bPrefillMin > bPrefill || bPrefill > bPrefillMax) {
            throw new IllegalArgumentException("scheduling.agentserve: expected 0 <= b_prefill_min <= b_prefill <= "
                    + "b_prefill_max, got " + bPrefillMin + ", " + bPrefill + ", " + bPrefillMax);
        }
        if (bPrefillStep < 0) {
            throw new IllegalArgumentException("scheduling.agentserve.b_prefill_step: expected >= 0, got " + bPrefillStep);
        }
        positive("sm_bandwidth_gbps", smBandwidthGbps);
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("scheduling.agentserve." + field + ": expected > 0, got " + v);
        }
    }
}
