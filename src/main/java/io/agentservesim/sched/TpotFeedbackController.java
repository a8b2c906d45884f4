package io.agentservesim.sched;

import io.agentservesim.engine.StreamController;

/**
 * AgentServe's TPOT-driven feedback controller (arXiv 2603.10342, section 4): every control period it compares
 * the decode stream's measured TPOT (the mean gap between consecutive decode-stream steps over the period, the
 * inter-token time of a request decoding through it) with the target and moves two knobs:
 * <ul>
 *   <li>above the target: decode's minimum SM share R_min up one green-context slot (10 %, at most
 *       {@code r_min_high}), the resume-prefill budget B_prefill halved (at least {@code b_prefill_min});</li>
 *   <li>under {@code low_watermark} x target: R_min down one slot (at least {@code r_min_low}), B_prefill up by
 *       {@code b_prefill_step} (at most {@code b_prefill_max});</li>
 *   <li>in between, or with no gap measured in the period: both held.</li>
 * </ul>
 * The paper publishes no code; the step sizes (one slot, halving and an additive step for the budget, as AIMD
 * congestion control does) are this simulator's assumption. With feedback off both knobs stay at their initial
 * values. A period starts at the first decode step and restarts at each evaluation.
 */
public final class TpotFeedbackController implements StreamController {
    private final AgentServeSettings s;
    private final long periodNs;
    private final double targetNs;
    private final int lowSlot;
    private final int highSlot;
    private int slot;
    private int budget;
    private long periodEndNs = -1;
    private long gapSumNs;
    private long gaps;
    private long raises;
    private long lowers;

    public TpotFeedbackController(AgentServeSettings s) {
        this.s = s;
        this.periodNs = Math.round(s.controlPeriodMs() * 1e6);
        this.targetNs = s.tpotTargetMs() * 1e6;
        this.lowSlot = AgentServeSettings.slot("r_min_low", s.rMinLow());
        this.highSlot = AgentServeSettings.slot("r_min_high", s.rMinHigh());
        this.slot = AgentServeSettings.slot("r_min", s.rMin());
        this.budget = s.bPrefill();
    }

    @Override
    public int decodeSlot() {
        return slot;
    }

    @Override
    public int resumeBudget() {
        return budget;
    }

    @Override
    public void onDecodeStep(long nowNs, long gapNs) {
        if (!s.feedback()) {
            return;
        }
        if (periodEndNs < 0) {
            periodEndNs = nowNs + periodNs;
        }
        if (gapNs >= 0) {
            gapSumNs += gapNs;
            gaps++;
        }
        if (nowNs < periodEndNs) {
            return;
        }
        if (gaps > 0) {
            double tpot = (double) gapSumNs / gaps;
            if (tpot > targetNs) {
                if (slot < highSlot) {
                    slot++;
                }
                budget = Math.max(s.bPrefillMin(), budget / 2);
                raises++;
            } else if (tpot < s.lowWatermark() * targetNs) {
                if (slot > lowSlot) {
                    slot--;
                }
                budget = Math.min(s.bPrefillMax(), budget + s.bPrefillStep());
                lowers++;
            }
        }
        gapSumNs = 0;
        gaps = 0;
        periodEndNs = nowNs + periodNs;
    }

    /** Periods that found TPOT above the target. */
    @Override
    public long raises() { return raises; }

    /** Periods that found TPOT well under the target. */
    @Override
    public long lowers() { return lowers; }
}
