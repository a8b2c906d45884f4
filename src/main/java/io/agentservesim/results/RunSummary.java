package io.agentservesim.results;

import io.agentservesim.power.EnergyReport;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * The aggregates of one run, fed turn by turn and program by program as they finish (a flat request is a
 * one-turn program): JCT of programs; TTFT, TPOT, ITL, E2E and queueing of turns; tokens, prefix-cache
 * hits, recomputed tokens, preemptions; the P/D TTFT split; then the cluster's counters and the energy
 * report at the end. Streaming (histograms), so memory does not grow with the trace. Computing only:
 * {@link io.agentservesim.report} renders it (summary.json, the console table), as Caffeine's simulator
 * keeps its statistics apart from its reporters.
 */
public final class RunSummary implements RunListener {
    private final LatencyDistribution jct = new LatencyDistribution();
    private final LatencyDistribution ttft = new LatencyDistribution();
    private final LatencyDistribution tpot = new LatencyDistribution();
    private final LatencyDistribution itl = new LatencyDistribution();
    private final LatencyDistribution e2e = new LatencyDistribution();
    private final LatencyDistribution queueing = new LatencyDistribution();
    private long programs;
    private long rejectedPrograms;
    private long turns;
    private long preemptedTurns;
    private long promptTokens;
    private long outputTokens;
    private long hitTokens;
    private long recomputedTokens;
    private long preemptions;
    private long splitQueueingNs;
    private long splitPrefillNs;
    private long splitTransferNs;
    private long kvTransferBytes;
    /** Sum over turns of (last token - first token) and of (output tokens - 1): the mean ITL without token times. */
    private long decodeSpanNs;
    private long decodeGaps;
    private long firstArrivalNs = Long.MAX_VALUE;
    private long lastEndNs = Long.MIN_VALUE;
    private long rejectedTurns;

    private RunCounters counters = RunCounters.none();
    private EnergyReport energy;

    @Override
    public void onTurn(TurnRecord t) {
        turns++;
        ttft.record(t.ttftNs());
        if (t.hasTpot()) {
            tpot.record(t.tpotNs());
            decodeSpanNs += t.endNs() - t.firstTokenNs();
            decodeGaps += t.outputTokens() - 1;
        }
        LongArrayList times = t.tokenTimes();
        if (times != null) {
            long prev = t.firstTokenNs();
            for (int i = 0, n = times.size(); i < n; i++) {
                long at = times.getLong(i);
                itl.record(at - prev);
                prev = at;
            }
        }
        e2e.record(t.e2eNs());
        queueing.record(t.queueingNs());
        promptTokens += t.promptTokens();
        outputTokens += t.outputTokens();
        hitTokens += t.hitTokens();
        recomputedTokens += t.recomputedTokens();
        preemptions += t.preemptions();
        if (t.preemptions() > 0) {
            preemptedTurns++;
        }
        splitQueueingNs += t.prefillQueueNs() + t.decodeQueueNs();
        splitPrefillNs += t.prefillNs();
        splitTransferNs += t.kvTransferNs();
        kvTransferBytes += t.kvTransferBytes();
    }

    @Override
    public void onProgram(ProgramRecord p) {
        if (p.rejected()) {
            rejectedPrograms++;
            return;
        }
        programs++;
        jct.record(p.jctNs());
        firstArrivalNs = Math.min(firstArrivalNs, p.arrivalNs());
        lastEndNs = Math.max(lastEndNs, p.endNs());
    }

    /** The cluster's counters and the turns it turned away, set once at the end of the run. */
    public void finish(RunCounters counters, long rejectedTurns, EnergyReport energy) {
        this.counters = counters;
        this.rejectedTurns = rejectedTurns;
        this.energy = energy;
    }

    /** The makespan window [first program arrival, last program end]; empty when no program ran. */
    public long windowStartNs() { return lastEndNs > firstArrivalNs ? firstArrivalNs : 0; }
    public long windowEndNs() { return lastEndNs > firstArrivalNs ? lastEndNs : 0; }

    /** Seconds from the first arrival to the last token. */
    public double makespanS() {
        return (windowEndNs() - windowStartNs()) / 1e9;
    }

    public double prefixHitRate() {
        return promptTokens == 0 ? 0 : (double) hitTokens / promptTokens;
    }

    /** Mean inter-token latency over every token after a first (vLLM's mean ITL), ms; NaN without any. */
    public double meanItlMs() {
        return itl.count() > 0 ? itl.meanMs() : decodeGaps == 0 ? Double.NaN : decodeSpanNs / 1e6 / decodeGaps;
    }

    /** Per-turn mean of a TTFT component summed over turns, ms. */
    public double meanPerTurnMs(long sumNs) {
        return turns == 0 ? 0 : sumNs / 1e6 / turns;
    }

    public LatencyDistribution jct() { return jct; }
    public LatencyDistribution ttft() { return ttft; }
    public LatencyDistribution tpot() { return tpot; }
    /** Per-token gaps; empty unless per-token latencies were recorded. */
    public LatencyDistribution itl() { return itl; }
    public LatencyDistribution e2e() { return e2e; }
    public LatencyDistribution queueing() { return queueing; }
    public long programs() { return programs; }
    public long rejectedPrograms() { return rejectedPrograms; }
    public long rejectedTurns() { return rejectedTurns; }
    public long turns() { return turns; }
    public long preemptedTurns() { return preemptedTurns; }
    public long promptTokens() { return promptTokens; }
    public long outputTokens() { return outputTokens; }
    public long hitTokens() { return hitTokens; }
    public long recomputedTokens() { return recomputedTokens; }
    public long preemptions() { return preemptions; }
    public long splitQueueingNs() { return splitQueueingNs; }
    public long splitPrefillNs() { return splitPrefillNs; }
    public long splitTransferNs() { return splitTransferNs; }
    public long kvTransferBytes() { return kvTransferBytes; }
    public RunCounters counters() { return counters; }
    public EnergyReport energy() { return energy; }
    public long steps() { return counters.steps(); }
    public long wallNs() { return counters.wallNs(); }
}
