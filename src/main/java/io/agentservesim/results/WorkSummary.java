package io.agentservesim.results;

import io.agentservesim.engine.PrefillKind;
import io.agentservesim.engine.StepWorkCounters;
import io.agentservesim.metrics.JsonOut;

import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run's work split as AgentServe splits it ({@link PrefillKind}): turns whose prefill was cold or a resume,
 * with each kind's TTFT and TPOT; engine steps that only prefilled, only decoded or mixed both; prefill tokens
 * of cold and resume turns and decode tokens, summed over instances; for split engines the decode stream's mean
 * SM share (over its steps, 1.0 when it ran alone) and the controller's moves. summary.json's {@code work} block.
 */
public final class WorkSummary {
    private final LatencyDistribution coldTtft = new LatencyDistribution();
    private final LatencyDistribution resumeTtft = new LatencyDistribution();
    private final LatencyDistribution coldTpot = new LatencyDistribution();
    private final LatencyDistribution resumeTpot = new LatencyDistribution();
    private final StepWorkCounters steps = new StepWorkCounters();
    private int splitInstances;
    private double decodeSlotSum;
    private long raises;
    private long lowers;

    public void onTurn(TurnRecord t) {
        boolean resume = t.prefillKind() == PrefillKind.RESUME;
        (resume ? resumeTtft : coldTtft).record(t.ttftNs());
        if (t.hasTpot()) {
            (resume ? resumeTpot : coldTpot).record(t.tpotNs());
        }
    }

    /** Adds one instance's step counters at the run's end. */
    public void addSteps(StepWorkCounters instance) {
        steps.add(instance);
    }

    /** Adds a split instance's decode-stream share and controller moves ({@link io.agentservesim.engine.StreamSplit}). */
    public void addStreams(double meanDecodeSlot, long raises, long lowers) {
        splitInstances++;
        decodeSlotSum += meanDecodeSlot;
        this.raises += raises;
        this.lowers += lowers;
    }

    public StepWorkCounters steps() {
        return steps;
    }

    public void writeTo(ObjectNode o) {
        ObjectNode turns = o.putObject("turns");
        putKind(turns.putObject("cold"), coldTtft, coldTpot);
        putKind(turns.putObject("resume"), resumeTtft, resumeTpot);
        turns.put("resume_min_cached_share", PrefillKind.RESUME_MIN_CACHED_SHARE);
        ObjectNode s = o.putObject("steps");
        s.put("prefill_only", steps.prefillOnlySteps());
        s.put("decode_only", steps.decodeOnlySteps());
        s.put("mixed", steps.mixedSteps());
        ObjectNode tok = o.putObject("tokens");
        tok.put("cold_prefill", steps.coldPrefillTokens());
        tok.put("resume_prefill", steps.resumePrefillTokens());
        tok.put("decode", steps.decodeTokens());
        if (splitInstances > 0) {
            ObjectNode st = o.putObject("streams");
            st.put("decode_mean_sm_share", JsonOut.round(decodeSlotSum / splitInstances / 10.0));
            st.put("controller_raises", raises);
            st.put("controller_lowers", lowers);
        }
    }

    public String tableLine() {
        return String.format(Locale.ROOT,
                "work: turns cold %d (TTFT p50 %.1f ms) resume %d (TTFT p50 %.1f ms)  steps prefill-only %d decode-only %d mixed %d%n",
                coldTtft.count(), coldTtft.percentileMs(50), resumeTtft.count(), resumeTtft.percentileMs(50),
                steps.prefillOnlySteps(), steps.decodeOnlySteps(), steps.mixedSteps());
    }

    private static void putKind(ObjectNode o, LatencyDistribution ttft, LatencyDistribution tpot) {
        o.put("count", ttft.count());
        ObjectNode t = o.putObject("ttft_ms");
        t.put("mean", JsonOut.round(ttft.meanMs()));
        t.put("p50", JsonOut.round(ttft.percentileMs(50)));
        t.put("p95", JsonOut.round(ttft.percentileMs(95)));
        ObjectNode p = o.putObject("tpot_ms");
        p.put("mean", JsonOut.round(tpot.meanMs()));
        p.put("p50", JsonOut.round(tpot.percentileMs(50)));
        p.put("p95", JsonOut.round(tpot.percentileMs(95)));
    }
}
