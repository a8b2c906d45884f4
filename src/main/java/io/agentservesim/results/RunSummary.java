package io.agentservesim.results;

import io.agentservesim.engine.StepWorkCounters;
import io.agentservesim.metrics.SloTargets;
import io.agentservesim.power.EnergyReport;
import io.agentservesim.residency.DecisionLog;
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
    /** Per-turn ITL percentiles, distributed over turns with at least two output tokens. */
    private final LatencyDistribution itlP50 = new LatencyDistribution();
    private final LatencyDistribution itlP95 = new LatencyDistribution();
    private final LatencyDistribution itlMax = new LatencyDistribution();
    private final SloTargets slo;
    private long turnsWithinTtft;
    private long turnsWithinTpot;
    private long turnsWithinBoth;
    private long programsWithinJct;
    private final WorkSummary work = new WorkSummary();
    private DecisionLog decisions = DecisionLog.countersOnly();
    private WorldSummary world;
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

    public RunSummary() {
        this(SloTargets.NONE);
    }

    /** {@code slo}: the targets attainment is judged against ({@link SloTargets#NONE}: none). */
    public RunSummary(SloTargets slo) {
        this.slo = slo;
    }

    @Override
    public void onTurn(TurnRecord t) {
        turns++;
        work.onTurn(t);
        ttft.record(t.ttftNs());
        boolean inTtft = slo.withinTtft(t.ttftNs());
        boolean inTpot = slo.withinTpot(t.tpotNs(), t.hasTpot());
        turnsWithinTtft += inTtft ? 1 : 0;
        turnsWithinTpot += inTpot ? 1 : 0;
        turnsWithinBoth += inTtft && inTpot ? 1 : 0;
        if (t.hasTpot()) {
            tpot.record(t.tpotNs());
            itlP50.record(t.itlP50Ns());
            itlP95.record(t.itlP95Ns());
            itlMax.record(t.itlMaxNs());
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
        programsWithinJct += slo.withinJct(p.jctNs()) ? 1 : 0;
        firstArrivalNs = Math.min(firstArrivalNs, p.arrivalNs());
        lastEndNs = Math.max(lastEndNs, p.endNs());
    }

    /** The cluster's counters and the turns it turned away, set once at the end of the run. */
    public void finish(RunCounters counters, long rejectedTurns, EnergyReport energy) {
        this.counters = counters;
        this.rejectedTurns = rejectedTurns;
        this.energy = energy;
    }

    /** The policies' decision counters over all instances, set once at the end. */
    public void setDecisions(DecisionLog decisions) {
        this.decisions = decisions;
    }

    /** A multi-agent simulation's step summary (null: not a world). */
    public void setWorld(WorldSummary world) {
        this.world = world;
    }

    /** Adds one instance's steps by kind of work, at the end. */
    public void addStepWork(StepWorkCounters instance) {
        work.addSteps(instance);
    }

    /** Adds a split instance's decode-stream share (tenths) and controller moves, at the end. */
    public void addStreams(double meanDecodeSlot, long raises, long lowers) {
        work.addStreams(meanDecodeSlot, raises, lowers);
    }

    /** Share of turns within every turn target set, or NaN when none is set. */
    public double turnSloAttainment() {
        return slo.hasTurnTarget() && turns > 0 ? (double) turnsWithinBoth / turns : Double.NaN;
    }

    /** Share of programs within the JCT target, or NaN when it is not set. */
    public double programSloAttainment() {
        return slo.jctNs() >= 0 && programs > 0 ? (double) programsWithinJct / programs : Double.NaN;
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
    public LatencyDistribution itlP50() { return itlP50; }
    public LatencyDistribution itlP95() { return itlP95; }
    public LatencyDistribution itlMax() { return itlMax; }
    public SloTargets slo() { return slo; }
    public long turnsWithinTtft() { return turnsWithinTtft; }
    public long turnsWithinTpot() { return turnsWithinTpot; }
    public long turnsWithinSlo() { return turnsWithinBoth; }
    public long programsWithinJct() { return programsWithinJct; }
    public WorkSummary work() { return work; }
    /** Steps and tokens by kind of work, summed over instances. */
    public StepWorkCounters stepWork() { return work.steps(); }
    public DecisionLog decisions() { return decisions; }
    /** Null unless the run was a world. */
    public WorldSummary world() { return world; }
    public RunCounters counters() { return counters; }
    public EnergyReport energy() { return energy; }
    public long steps() { return counters.steps(); }
    public long wallNs() { return counters.wallNs(); }
}
