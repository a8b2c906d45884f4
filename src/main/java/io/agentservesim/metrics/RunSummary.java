package io.agentservesim.metrics;

import io.agentservesim.engine.Request;
import io.agentservesim.power.EnergyReport;
import java.util.Locale;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Aggregates of one run, fed request by request as they finish: latency distributions (TTFT, TPOT,
 * E2E, queueing), token counts and engine counters. Renders as summary.json and as a console table;
 * computing and presenting stay apart from the engine.
 */
public final class RunSummary {
    private final LatencyDistribution ttft = new LatencyDistribution();
    private final LatencyDistribution tpot = new LatencyDistribution();
    private final LatencyDistribution e2e = new LatencyDistribution();
    private final LatencyDistribution queueing = new LatencyDistribution();
    private long requests;
    private long promptTokens;
    private long outputTokens;
    private long prefixHitTokens;
    private long preemptedRequests;
    private long firstArrivalNs = Long.MAX_VALUE;
    private long lastFinishNs = Long.MIN_VALUE;

    private long steps;
    private long preemptions;
    private long simulatedNs;
    private long wallNs;
    private String stepTimeSource = "";
    private EnergyReport energy;

    public void record(Request r, RequestMetrics m) {
        requests++;
        ttft.record(m.ttftNs());
        if (m.hasTpot()) {
            tpot.record(m.tpotNs());
        }
        e2e.record(m.e2eNs());
        queueing.record(m.queueingNs());
        promptTokens += r.promptTokens();
        outputTokens += r.outputTokens();
        prefixHitTokens += r.prefixHitTokens();
        if (r.preemptions() > 0) {
            preemptedRequests++;
        }
        firstArrivalNs = Math.min(firstArrivalNs, r.arrivalNs());
        lastFinishNs = Math.max(lastFinishNs, r.lastTokenNs());
    }

    /** Engine-side counters, set once at the end of the run. */
    public void setEngineCounters(long steps, long preemptions, long simulatedNs, long wallNs, String stepTimeSource) {
        this.steps = steps;
        this.preemptions = preemptions;
        this.simulatedNs = simulatedNs;
        this.wallNs = wallNs;
        this.stepTimeSource = stepTimeSource;
    }

    /** Energy of the run (null: none reported). */
    public void setEnergy(EnergyReport energy) {
        this.energy = energy;
    }

    public EnergyReport energy() { return energy; }
    public long firstArrivalNs() { return firstArrivalNs; }
    public long lastFinishNs() { return lastFinishNs; }
    public long requests() { return requests; }
    public long steps() { return steps; }
    public long preemptions() { return preemptions; }
    public long prefixHitTokens() { return prefixHitTokens; }
    public long outputTokens() { return outputTokens; }
    public long wallNs() { return wallNs; }
    public LatencyDistribution ttft() { return ttft; }
    public LatencyDistribution tpot() { return tpot; }
    public LatencyDistribution e2e() { return e2e; }

    /** Seconds from the first arrival to the last token. */
    public double makespanS() {
        return requests == 0 ? 0 : (lastFinishNs - firstArrivalNs) / 1e9;
    }

    public double prefixHitRate() {
        return promptTokens == 0 ? 0 : (double) prefixHitTokens / promptTokens;
    }

    /** summary.json; wall-clock time is left out so that the file is byte-identical across runs. */
    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        ObjectNode req = root.putObject("requests");
        req.put("count", requests);
        req.put("preempted", preemptedRequests);
        ObjectNode tok = root.putObject("tokens");
        tok.put("prompt", promptTokens);
        tok.put("output", outputTokens);
        putDistribution(root, "ttft_ms", ttft);
        putDistribution(root, "tpot_ms", tpot);
        putDistribution(root, "e2e_ms", e2e);
        putDistribution(root, "queueing_ms", queueing);
        ObjectNode thr = root.putObject("throughput");
        double span = makespanS();
        thr.put("makespan_s", JsonOut.round(span));
        thr.put("requests_per_s", JsonOut.round(span > 0 ? requests / span : 0));
        thr.put("output_tokens_per_s", JsonOut.round(span > 0 ? outputTokens / span : 0));
        thr.put("total_tokens_per_s", JsonOut.round(span > 0 ? (promptTokens + outputTokens) / span : 0));
        ObjectNode pc = root.putObject("prefix_cache");
        pc.put("hit_tokens", prefixHitTokens);
        pc.put("hit_rate", JsonOut.round(prefixHitRate()));
        ObjectNode eng = root.putObject("engine");
        eng.put("steps", steps);
        eng.put("preemptions", preemptions);
        eng.put("simulated_s", JsonOut.round(simulatedNs / 1e9));
        eng.put("step_time_source", stepTimeSource);
        if (energy != null) {
            energy.writeTo(root.putObject("energy"));
        }
        return root;
    }

    public String toJsonString() {
        return JsonOut.pretty(toJson());
    }

    /** The console table: one row per latency metric, then throughput and cache counters. */
    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-14s %10s %10s %10s %10s %10s%n", "metric (ms)", "mean", "p50", "p90", "p95", "p99"));
        row(b, "TTFT", ttft);
        row(b, "TPOT", tpot);
        row(b, "E2E", e2e);
        row(b, "queueing", queueing);
        double span = makespanS();
        b.append(String.format(Locale.ROOT, "requests %d  makespan %.2f s  throughput %.2f req/s  %.1f output tok/s  %.1f total tok/s%n",
                requests, span, span > 0 ? requests / span : 0, span > 0 ? outputTokens / span : 0,
                span > 0 ? (promptTokens + outputTokens) / span : 0));
        b.append(String.format(Locale.ROOT, "prefix-hit tokens %d (%.1f%% of prompt tokens)  preemptions %d  steps %d%n",
                prefixHitTokens, 100 * prefixHitRate(), preemptions, steps));
        b.append(String.format(Locale.ROOT, "step times: %s  simulated %.2f s in %.3f s wall%n",
                stepTimeSource, simulatedNs / 1e9, wallNs / 1e9));
        if (energy != null) {
            b.append(energy.tableLine());
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, LatencyDistribution d) {
        b.append(String.format(Locale.ROOT, "%-14s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name,
                d.meanMs(), d.percentileMs(50), d.percentileMs(90), d.percentileMs(95), d.percentileMs(99)));
    }

    private static void putDistribution(ObjectNode root, String name, LatencyDistribution d) {
        ObjectNode o = root.putObject(name);
        o.put("count", d.count());
        o.put("mean", JsonOut.round(d.meanMs()));
        o.put("p50", JsonOut.round(d.percentileMs(50)));
        o.put("p90", JsonOut.round(d.percentileMs(90)));
        o.put("p95", JsonOut.round(d.percentileMs(95)));
        o.put("p99", JsonOut.round(d.percentileMs(99)));
        o.put("max", JsonOut.round(d.maxMs()));
    }

}
