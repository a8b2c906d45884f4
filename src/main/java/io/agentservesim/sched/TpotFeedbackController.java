package io.agentservesim.sched;

import io.agentservesim.engine.StreamController;

/**
 * AgentServe's TPOT-driven feedback controller (arXiv 2603.10342, section 4): every control period it compares
 * the decode stream's measured TPOT (the mean gap between consecutive decode-stream steps that ran beside a
 * prefill-stream step, the inter-token time of a request decoding through both) with the target and moves one of
 * two knobs, the resume-prefill budget B_prefill or decode's minimum SM share R_min:
 * <ul>
 *   <li>above the target: B_prefill halved; once it is at {@code b_prefill_min}, R_min up one green-context slot
 *       (10 %, at most {@code r_min_high});</li>
 *   <li>under {@code low_watermark} x target: R_min down one slot; once it is at {@code r_min_low}, B_prefill up
 *       by {@code b_prefill_step} (at most {@code b_prefill_max});</li>
 *   <li>in between, or with no such gap in the period: both held.</li>
 * </ul>
 * Why this order: a decode batch is memory-bound and reaches the GPU's bandwidth on a fraction of the SMs
 * ({@code SmShareStepTimeModel}), so above that fraction more SMs only speed the resume chunks riding with it,
 * which a smaller budget cuts more cheaply; SMs given back go to the cold prefills, whose TTFT they set. Moving
 * both knobs at once winds R_min up to its cap whenever resume chunks keep TPOT over the target (measured here:
 * cold TTFT 5.8 s vs 1.7 s fixed, RTX A5000, Llama-3-8B, 6 ReAct agents). Only gaps beside a prefill count: alone,
 * the decode stream has the whole GPU and neither knob acts, and counting those periods would wind R_min down to
 * its floor and B_prefill up to its cap before the next cold prefill. The paper publishes no code; the step sizes
 * (one slot, halving and an additive step, as AIMD), the cascade and the signal are this simulator's choices.
 * With feedback off both knobs stay at their initial values. A period starts at the first decode step and
 * restarts at each evaluation.
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
    private long besideSumNs;
    private long besideGaps;
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
    public void onDecodeStep(long nowNs, long gapNs, boolean beside) {
        if (!s.feedback()) {
            return;
        }
        if (periodEndNs < 0) {
            periodEndNs = nowNs + periodNs;
        }
        if (gapNs >= 0 && beside) {
            besideSumNs += gapNs;
            besideGaps++;
        }
        if (nowNs < periodEndNs) {
            return;
        }
        if (besideGaps > 0) {
            double tpot = (double) besideSumNs / besideGaps;
            if (tpot > targetNs) {
                // Too slow: first shrink the resume chunks riding on the decodes, then take SMs from prefills.
                if (budget > s.bPrefillMin()) {
                    budget = Math.max(s.bPrefillMin(), budget / 2);
                } else if (slot < highSlot) {
                    slot++;
                }
                raises++;
            } else if (tpot < s.lowWatermark() * targetNs) {
                // Well under: first give SMs back to the cold prefills, then let resumes take bigger chunks.
                if (slot > lowSlot) {
                    slot--;
                } else {
                    budget = Math.min(s.bPrefillMax(), budget + s.bPrefillStep());
                }
                lowers++;
            }
        }
        besideSumNs = 0;
        besideGaps = 0;
        periodEndNs = nowNs + periodNs;
    }

    /** Periods that found TPOT above the target. */
    @Override
    public long raises() { return raises; }

    /** Periods that found TPOT well under the target. */
    @Override
    public long lowers() { return lowers; }
}
