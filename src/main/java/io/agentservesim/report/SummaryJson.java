package io.agentservesim.report;

import static io.agentservesim.metrics.JsonOut.round;

import io.agentservesim.metrics.JsonOut;
import io.agentservesim.metrics.SloTargets;
import io.agentservesim.results.LatencyDistribution;
import io.agentservesim.results.RunCounters;
import io.agentservesim.results.RunSummary;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a {@link RunSummary} as summary.json, one shape for every run (a flat request is a one-turn
 * program). First the keys {@code vllm bench serve --save-result} writes, with its names and meanings
 * (turns are its requests; {@code duration} is the makespan; percentiles 90, 95 and 99; the ITL median,
 * spread and percentiles only when per-token latencies were recorded, its mean always), so tools that
 * read vLLM's benchmark results read ours; then our sections: programs, turns, throughput, prefix cache,
 * router, KV residency, engine, energy. Wall-clock time is left out so that the file is byte-identical
 * across runs (it goes to the run's manifest).
 */
public final class SummaryJson {
    private SummaryJson() {
    }

    public static String render(RunSummary s) {
        return JsonOut.pretty(tree(s));
    }

    public static ObjectNode tree(RunSummary s) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        RunCounters c = s.counters();
        double span = s.makespanS();
        root.put("model_id", c.model());
        root.put("duration", round(span));
        root.put("completed", s.turns());
        root.put("failed", s.rejectedTurns());
        root.put("total_input_tokens", s.promptTokens());
        root.put("total_output_tokens", s.outputTokens());
        root.put("request_throughput", round(perSecond(s.turns(), span)));
        // vLLM's --goodput: requests within every target set, per second; null without targets, as vLLM writes it.
        if (s.slo().hasTurnTarget()) {
            root.put("request_goodput", round(perSecond(s.turnsWithinSlo(), span)));
        } else {
            root.putNull("request_goodput");
        }
        root.put("output_throughput", round(perSecond(s.outputTokens(), span)));
        root.put("total_token_throughput", round(perSecond(s.promptTokens() + s.outputTokens(), span)));
        putBench(root, "ttft", s.ttft());
        putBench(root, "tpot", s.tpot());
        if (s.itl().count() > 0) {
            putBench(root, "itl", s.itl());
        } else {
            root.put("mean_itl_ms", round(s.meanItlMs()));
        }
        putBench(root, "e2el", s.e2e());

        ObjectNode p = root.putObject("programs");
        p.put("count", s.programs());
        p.put("rejected", s.rejectedPrograms());
        putSeconds(p.putObject("jct_s"), s.jct());

        ObjectNode t = root.putObject("turns");
        t.put("count", s.turns());
        t.put("rejected", s.rejectedTurns());
        t.put("preempted", s.preemptedTurns());
        t.put("preemptions", s.preemptions());
        t.put("prompt_tokens", s.promptTokens());
        t.put("output_tokens", s.outputTokens());
        putMillis(t.putObject("ttft_ms"), s.ttft());
        putMillis(t.putObject("tpot_ms"), s.tpot());
        if (s.itl().count() > 0) {
            putMillis(t.putObject("itl_ms"), s.itl());
        }
        putMillis(t.putObject("e2e_ms"), s.e2e());
        putMillis(t.putObject("queueing_ms"), s.queueing());
        putMillis(t.putObject("itl_p50_ms"), s.itlP50());
        putMillis(t.putObject("itl_p95_ms"), s.itlP95());
        putMillis(t.putObject("itl_max_ms"), s.itlMax());
        ObjectNode split = t.putObject("ttft_split_ms");
        split.put("queueing", round(s.meanPerTurnMs(s.splitQueueingNs())));
        split.put("prefill", round(s.meanPerTurnMs(s.splitPrefillNs())));
        split.put("transfer", round(s.meanPerTurnMs(s.splitTransferNs())));
        t.put("kv_transfer_bytes", s.kvTransferBytes());

        putSlo(root.putObject("slo"), s);

        ObjectNode thr = root.putObject("throughput");
        thr.put("makespan_s", round(span));
        thr.put("turns_per_s", round(perSecond(s.turns(), span)));
        thr.put("output_tokens_per_s", round(perSecond(s.outputTokens(), span)));
        thr.put("total_tokens_per_s", round(perSecond(s.promptTokens() + s.outputTokens(), span)));

        ObjectNode pc = root.putObject("prefix_cache");
        pc.put("hit_tokens", s.hitTokens());
        pc.put("hit_rate", round(s.prefixHitRate()));

        ObjectNode r = root.putObject("router");
        r.put("routes", c.router().routes());
        r.put("affinity_hits", c.router().affinityHits());
        r.put("affinity_breaks", c.router().affinityBreaks());
        r.put("cold_placements", c.router().coldPlacements());

        ObjectNode kv = root.putObject("kv");
        kv.put("offloaded_bytes", c.offloadedBytes());
        kv.put("restored_bytes", c.restoredBytes());
        kv.put("recomputed_tokens", s.recomputedTokens());
        kv.put("pins_used", c.pinsUsed());
        kv.put("pins_broken", c.pinsBroken());
        kv.put("pins_expired", c.pinsExpired());

        s.decisions().writeTo(root.putObject("decisions"));

        ObjectNode e = root.putObject("engine");
        e.put("steps", c.steps());
        e.put("simulated_s", round(c.simulatedNs() / 1e9));
        e.put("step_time_source", c.stepTimeSource());
        e.put("instances", c.instances());
        e.put("gpus", c.gpus());
        e.put("gpu_hours", round(c.gpus() * span / 3600));
        s.work().writeTo(root.putObject("work"));
        if (s.energy() != null) {
            s.energy().writeTo(root.putObject("energy"));
        }
        if (s.world() != null) {
            s.world().writeTo(root.putObject("world"));
        }
        return root;
    }

    /**
     * Targets and attainment: the share of turns within the TTFT target, the TPOT target and both, and of
     * (not rejected) programs within the JCT target; a target not set and its share are null.
     */
    private static void putSlo(ObjectNode o, RunSummary s) {
        SloTargets slo = s.slo();
        putTarget(o, "ttft_ms", slo.ttftNs(), 1e6);
        putTarget(o, "tpot_ms", slo.tpotNs(), 1e6);
        putTarget(o, "jct_s", slo.jctNs(), 1e9);
        putShare(o, "turns_within_ttft", slo.ttftNs() >= 0, s.turnsWithinTtft(), s.turns());
        putShare(o, "turns_within_tpot", slo.tpotNs() >= 0, s.turnsWithinTpot(), s.turns());
        putShare(o, "turns_within_slo", slo.hasTurnTarget(), s.turnsWithinSlo(), s.turns());
        putShare(o, "programs_within_jct", slo.jctNs() >= 0, s.programsWithinJct(), s.programs());
    }

    private static void putTarget(ObjectNode o, String key, long ns, double nsPerUnit) {
        if (ns < 0) {
            o.putNull(key);
        } else {
            o.put(key, round(ns / nsPerUnit));
        }
    }

    private static void putShare(ObjectNode o, String key, boolean set, long within, long of) {
        if (!set) {
            o.putNull(key);
        } else {
            o.put(key, of == 0 ? 0 : round((double) within / of));
        }
    }

    private static double perSecond(long n, double spanS) {
        return spanS > 0 ? n / spanS : 0;
    }

    /** vLLM's benchmark keys of one metric: mean, median, std and the percentiles, in ms. */
    private static void putBench(ObjectNode root, String name, LatencyDistribution d) {
        root.put("mean_" + name + "_ms", round(d.meanMs()));
        root.put("median_" + name + "_ms", round(d.percentileMs(50)));
        root.put("std_" + name + "_ms", round(d.stdMs()));
        root.put("p90_" + name + "_ms", round(d.percentileMs(90)));
        root.put("p95_" + name + "_ms", round(d.percentileMs(95)));
        root.put("p99_" + name + "_ms", round(d.percentileMs(99)));
    }

    private static void putMillis(ObjectNode o, LatencyDistribution d) {
        o.put("count", d.count());
        o.put("mean", round(d.meanMs()));
        o.put("p50", round(d.percentileMs(50)));
        o.put("p90", round(d.percentileMs(90)));
        o.put("p95", round(d.percentileMs(95)));
        o.put("p99", round(d.percentileMs(99)));
        o.put("max", round(d.maxMs()));
    }

    private static void putSeconds(ObjectNode o, LatencyDistribution d) {
        o.put("count", d.count());
        o.put("mean", round(d.meanMs() / 1e3));
        o.put("p50", round(d.percentileMs(50) / 1e3));
        o.put("p90", round(d.percentileMs(90) / 1e3));
        o.put("p95", round(d.percentileMs(95) / 1e3));
        o.put("p99", round(d.percentileMs(99) / 1e3));
        o.put("max", round(d.maxMs() / 1e3));
    }
}
