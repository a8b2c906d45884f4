package io.agentservesim.cluster;

import io.agentservesim.metrics.JsonOut;
import io.agentservesim.metrics.LatencyDistribution;
import io.agentservesim.metrics.SloTargets;
import io.agentservesim.power.EnergyReport;
import io.agentservesim.residency.DecisionLog;
import io.agentservesim.router.RouterCounters;
import java.util.Locale;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Aggregates of an agent run, fed turn by turn and program by program: JCT of programs; TTFT, TPOT,
 * E2E and queueing of turns; prefix-cache hit rate (hit tokens / prompt tokens); recomputed tokens;
 * KV bytes offloaded and restored; router counters; rejections; per-turn ITL p50/p95 over turns and SLO
 * attainment against the configured targets. Streaming (histograms), so memory does
 * not grow with the trace.
 */
public final class AgentSummary implements ClusterListener {
    private final LatencyDistribution jct = new LatencyDistribution();
    private final LatencyDistribution ttft = new LatencyDistribution();
    private final LatencyDistribution tpot = new LatencyDistribution();
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
    private long programs;
    private long rejectedPrograms;
    private long turns;
    private long promptTokens;
    private long outputTokens;
    private long hitTokens;
    private long recomputedTokens;
    private long restoredBytesByTurns;
    private long preemptions;
    private long splitQueueingNs;
    private long splitPrefillNs;
    private long splitTransferNs;
    private long kvTransferBytes;
    private long firstArrivalNs = Long.MAX_VALUE;
    private long lastEndNs = Long.MIN_VALUE;

    private RouterCounters router = new RouterCounters();
    private long offloadedBytes;
    private long restoredBytes;
    private long pinsUsed;
    private long pinsBroken;
    private long pinsExpired;
    private long steps;
    private long simulatedNs;
    private long wallNs;
    private EnergyReport energy;
    private WorldSummary world;
    private final WorkSummary work = new WorkSummary();
    private DecisionLog decisions = DecisionLog.countersOnly();

    public AgentSummary() {
        this(SloTargets.NONE);
    }

    public AgentSummary(SloTargets slo) {
        this.slo = slo;
    }

    @Override
    public void onTurn(TurnRecord t) {
        turns++;
        work.onTurn(t);
        ttft.record(t.ttftNs());
        if (t.hasTpot()) {
            tpot.record(t.tpotNs());
            itlP50.record(t.itlP50Ns());
            itlP95.record(t.itlP95Ns());
            itlMax.record(t.itlMaxNs());
        }
        boolean inTtft = slo.withinTtft(t.ttftNs());
        boolean inTpot = slo.withinTpot(t.tpotNs(), t.hasTpot());
        turnsWithinTtft += inTtft ? 1 : 0;
        turnsWithinTpot += inTpot ? 1 : 0;
        turnsWithinBoth += inTtft && inTpot ? 1 : 0;
        e2e.record(t.e2eNs());
        queueing.record(t.queueingNs());
        promptTokens += t.promptTokens();
        outputTokens += t.outputTokens();
        hitTokens += t.hitTokens();
        recomputedTokens += t.recomputedTokens();
        restoredBytesByTurns += t.restoredBytes();
        preemptions += t.preemptions();
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

    void setClusterCounters(RouterCounters router, long offloadedBytes, long restoredBytes, long pinsUsed,
                            long pinsBroken, long pinsExpired, long steps, long simulatedNs, long wallNs) {
        this.router = router;
        this.offloadedBytes = offloadedBytes;
        this.restoredBytes = restoredBytes;
        this.pinsUsed = pinsUsed;
        this.pinsBroken = pinsBroken;
        this.pinsExpired = pinsExpired;
        this.steps = steps;
        this.simulatedNs = simulatedNs;
        this.wallNs = wallNs;
    }

    void setDecisions(DecisionLog decisions) {
        this.decisions = decisions;
    }

    /** The policies' decision counters over all instances. */
    public DecisionLog decisions() { return decisions; }

    void setWorld(WorldSummary world) {
        this.world = world;
    }

    /** Adds one instance's steps by kind of work. */
    void addStepWork(io.agentservesim.engine.StepWorkCounters instance) {
        work.addSteps(instance);
    }

    /** Adds a split instance's decode-stream share (tenths) and controller moves. */
    void addStreams(double meanDecodeSlot, long raises, long lowers) {
        work.addStreams(meanDecodeSlot, raises, lowers);
    }

    /** Steps and tokens by kind of work, summed over instances. */
    public io.agentservesim.engine.StepWorkCounters stepWork() {
        return work.steps();
    }

    void setEnergy(EnergyReport energy) {
        this.energy = energy;
    }

    /** The makespan window [first program arrival, last program end]; empty when no program ran. */
    long windowStartNs() { return lastEndNs > firstArrivalNs ? firstArrivalNs : 0; }
    long windowEndNs() { return lastEndNs > firstArrivalNs ? lastEndNs : 0; }
    long outputTokens() { return outputTokens; }

    public EnergyReport energy() { return energy; }
    public long programs() { return programs; }
    public long rejectedPrograms() { return rejectedPrograms; }
    public LatencyDistribution jct() { return jct; }
    public LatencyDistribution ttft() { return ttft; }
    public long recomputedTokens() { return recomputedTokens; }
    public long offloadedBytes() { return offloadedBytes; }
    public long restoredBytes() { return restoredBytes; }
    public RouterCounters router() { return router; }
    public long wallNs() { return wallNs; }
    public long steps() { return steps; }
    public long turns() { return turns; }
    public long simulatedNs() { return simulatedNs; }

    public double prefixHitRate() {
        return promptTokens == 0 ? 0 : (double) hitTokens / promptTokens;
    }

    /** summary.json (no wall-clock time in it, so it is byte-identical across runs). */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode p = root.putObject("programs");
        p.put("count", programs);
        p.put("rejected", rejectedPrograms);
        putSeconds(p.putObject("jct_s"), jct);
        ObjectNode t = root.putObject("turns");
        t.put("count", turns);
        t.put("prompt_tokens", promptTokens);
        t.put("output_tokens", outputTokens);
        t.put("preemptions", preemptions);
        putMillis(t.putObject("ttft_ms"), ttft);
        putMillis(t.putObject("tpot_ms"), tpot);
        putMillis(t.putObject("e2e_ms"), e2e);
        putMillis(t.putObject("queueing_ms"), queueing);
        putMillis(t.putObject("itl_p50_ms"), itlP50);
        putMillis(t.putObject("itl_p95_ms"), itlP95);
        putMillis(t.putObject("itl_max_ms"), itlMax);
        ObjectNode split = t.putObject("ttft_split_ms");
        split.put("queueing", meanMs(splitQueueingNs));
        split.put("prefill", meanMs(splitPrefillNs));
        split.put("transfer", meanMs(splitTransferNs));
        t.put("kv_transfer_bytes", kvTransferBytes);
        putSlo(root.putObject("slo"));
        ObjectNode pc = root.putObject("prefix_cache");
        pc.put("hit_tokens", hitTokens);
        pc.put("hit_rate", JsonOut.round(prefixHitRate()));
        ObjectNode r = root.putObject("router");
        r.put("routes", router.routes());
        r.put("affinity_hits", router.affinityHits());
        r.put("affinity_breaks", router.affinityBreaks());
        r.put("cold_placements", router.coldPlacements());
        ObjectNode kv = root.putObject("kv");
        kv.put("offloaded_bytes", offloadedBytes);
        kv.put("restored_bytes", restoredBytes);
        kv.put("recomputed_tokens", recomputedTokens);
        kv.put("pins_used", pinsUsed);
        kv.put("pins_broken", pinsBroken);
        kv.put("pins_expired", pinsExpired);
        decisions.writeTo(root.putObject("decisions"));
        ObjectNode e = root.putObject("engine");
        e.put("steps", steps);
        e.put("simulated_s", JsonOut.round(simulatedNs / 1e9));
        e.put("makespan_s", JsonOut.round(lastEndNs > firstArrivalNs ? (lastEndNs - firstArrivalNs) / 1e9 : 0));
        work.writeTo(root.putObject("work"));
        if (energy != null) {
            energy.writeTo(root.putObject("energy"));
        }
        if (world != null) {
            world.writeTo(root.putObject("world"));
        }
        return root;
    }

    public String toJsonString() {
        return JsonOut.pretty(toJson());
    }

    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "programs %d (rejected %d)  JCT s: mean %.2f p50 %.2f p90 %.2f p99 %.2f%n",
                programs, rejectedPrograms, jct.meanMs() / 1e3, jct.percentileMs(50) / 1e3, jct.percentileMs(90) / 1e3,
                jct.percentileMs(99) / 1e3));
        b.append(String.format(Locale.ROOT, "turns %d  TTFT ms: mean %.1f p50 %.1f p99 %.1f  TPOT ms: mean %.2f p50 %.2f p99 %.2f%n",
                turns, ttft.meanMs(), ttft.percentileMs(50), ttft.percentileMs(99), tpot.meanMs(), tpot.percentileMs(50),
                tpot.percentileMs(99)));
        b.append(String.format(Locale.ROOT, "prefix-cache hit rate %.1f%%  recomputed tokens %d  offloaded %.1f MB  restored %.1f MB  preemptions %d%n",
                100 * prefixHitRate(), recomputedTokens, offloadedBytes / 1e6, restoredBytes / 1e6, preemptions));
        b.append(String.format(Locale.ROOT, "router: routes %d  affinity hits %d  breaks %d  cold %d   pins used %d broken %d expired %d%n",
                router.routes(), router.affinityHits(), router.affinityBreaks(), router.coldPlacements(), pinsUsed,
                pinsBroken, pinsExpired));
        b.append(work.tableLine());
        b.append(String.format(Locale.ROOT, "steps %d  simulated %.1f s in %.3f s wall%n", steps, simulatedNs / 1e9, wallNs / 1e9));
        if (energy != null) {
            b.append(energy.tableLine());
        }
        if (world != null) {
            b.append(world.tableLine());
        }
        return b.toString();
    }

    /**
     * Targets and attainment: the share of turns within the TTFT target, the TPOT target and both, and of
     * (not rejected) programs within the JCT target; a target not set and its share are null.
     */
    private void putSlo(ObjectNode o) {
        putTarget(o, "ttft_ms", slo.ttftNs(), 1e6);
        putTarget(o, "tpot_ms", slo.tpotNs(), 1e6);
        putTarget(o, "jct_s", slo.jctNs(), 1e9);
        putShare(o, "turns_within_ttft", slo.ttftNs() >= 0, turnsWithinTtft, turns);
        putShare(o, "turns_within_tpot", slo.tpotNs() >= 0, turnsWithinTpot, turns);
        putShare(o, "turns_within_slo", slo.hasTurnTarget(), turnsWithinBoth, turns);
        putShare(o, "programs_within_jct", slo.jctNs() >= 0, programsWithinJct, programs);
    }

    private static void putTarget(ObjectNode o, String key, long ns, double nsPerUnit) {
        if (ns < 0) {
            o.putNull(key);
        } else {
            o.put(key, JsonOut.round(ns / nsPerUnit));
        }
    }

    private static void putShare(ObjectNode o, String key, boolean set, long within, long of) {
        if (!set) {
            o.putNull(key);
        } else {
            o.put(key, of == 0 ? 0 : JsonOut.round((double) within / of));
        }
    }

    /** Share of turns within every turn target set, or NaN when none is set. */
    public double turnSloAttainment() {
        return slo.hasTurnTarget() && turns > 0 ? (double) turnsWithinBoth / turns : Double.NaN;
    }

    /** Share of programs within the JCT target, or NaN when it is not set. */
    public double programSloAttainment() {
        return slo.jctNs() >= 0 && programs > 0 ? (double) programsWithinJct / programs : Double.NaN;
    }

    public LatencyDistribution itlP50() { return itlP50; }
    public LatencyDistribution itlP95() { return itlP95; }

    /** Mean over turns of a per-turn sum, ms. */
    private double meanMs(long sumNs) {
        return turns == 0 ? 0 : JsonOut.round(sumNs / 1e6 / turns);
    }

    private static void putMillis(ObjectNode o, LatencyDistribution d) {
        o.put("count", d.count());
        o.put("mean", JsonOut.round(d.meanMs()));
        o.put("p50", JsonOut.round(d.percentileMs(50)));
        o.put("p90", JsonOut.round(d.percentileMs(90)));
        o.put("p99", JsonOut.round(d.percentileMs(99)));
    }

    private static void putSeconds(ObjectNode o, LatencyDistribution d) {
        o.put("mean", JsonOut.round(d.meanMs() / 1e3));
        o.put("p50", JsonOut.round(d.percentileMs(50) / 1e3));
        o.put("p90", JsonOut.round(d.percentileMs(90) / 1e3));
        o.put("p99", JsonOut.round(d.percentileMs(99) / 1e3));
    }

}
