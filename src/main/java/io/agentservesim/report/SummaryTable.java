package io.agentservesim.report;

import io.agentservesim.results.LatencyDistribution;
import io.agentservesim.results.RunCounters;
import io.agentservesim.results.RunSummary;
import java.util.Locale;

/**
 * Renders a {@link RunSummary} as the console table: programs (when any has more than one turn), one
 * row per latency metric, throughput, cache and engine counters; KV residency and routing lines when the
 * run used them (several instances, pins or host tiers); energy.
 */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String render(RunSummary s) {
        StringBuilder b = new StringBuilder();
        RunCounters c = s.counters();
        LatencyDistribution jct = s.jct();
        if (s.turns() != s.programs() || s.rejectedPrograms() > 0) {
            b.append(String.format(Locale.ROOT, "programs %d (rejected %d)  JCT s: mean %.2f p50 %.2f p90 %.2f p99 %.2f%n",
                    s.programs(), s.rejectedPrograms(), jct.meanMs() / 1e3, jct.percentileMs(50) / 1e3,
                    jct.percentileMs(90) / 1e3, jct.percentileMs(99) / 1e3));
        }
        b.append(String.format(Locale.ROOT, "%-14s %10s %10s %10s %10s %10s%n", "metric (ms)", "mean", "p50", "p90", "p95", "p99"));
        row(b, "TTFT", s.ttft());
        row(b, "TPOT", s.tpot());
        if (s.itl().count() > 0) {
            row(b, "ITL", s.itl());
        }
        row(b, "E2E", s.e2e());
        row(b, "queueing", s.queueing());
        double span = s.makespanS();
        b.append(String.format(Locale.ROOT, "turns %d  makespan %.2f s  throughput %.2f turns/s  %.1f output tok/s  %.1f total tok/s%n",
                s.turns(), span, span > 0 ? s.turns() / span : 0, span > 0 ? s.outputTokens() / span : 0,
                span > 0 ? (s.promptTokens() + s.outputTokens()) / span : 0));
        b.append(String.format(Locale.ROOT, "prefix-hit tokens %d (%.1f%% of prompt tokens)  preemptions %d  steps %d%n",
                s.hitTokens(), 100 * s.prefixHitRate(), s.preemptions(), c.steps()));
        boolean residency = c.offloadedBytes() + c.restoredBytes() + c.pinsUsed() + c.pinsBroken() + c.pinsExpired()
                + s.recomputedTokens() > 0;
        if (c.instances() > 1 || residency) {
            b.append(String.format(Locale.ROOT, "KV: recomputed tokens %d  offloaded %.1f MB  restored %.1f MB  pins used %d broken %d expired %d%n",
                    s.recomputedTokens(), c.offloadedBytes() / 1e6, c.restoredBytes() / 1e6, c.pinsUsed(), c.pinsBroken(),
                    c.pinsExpired()));
            b.append(String.format(Locale.ROOT, "router: routes %d  affinity hits %d  breaks %d  cold %d%n",
                    c.router().routes(), c.router().affinityHits(), c.router().affinityBreaks(), c.router().coldPlacements()));
        }
        b.append(s.work().tableLine());
        b.append(String.format(Locale.ROOT, "step times: %s  %d instance(s), %d GPU(s)  simulated %.2f s in %.3f s wall%n",
                c.stepTimeSource(), c.instances(), c.gpus(), c.simulatedNs() / 1e9, c.wallNs() / 1e9));
        if (s.energy() != null) {
            b.append(s.energy().tableLine());
        }
        if (s.world() != null) {
            b.append(s.world().tableLine());
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, LatencyDistribution d) {
        b.append(String.format(Locale.ROOT, "%-14s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name,
                d.meanMs(), d.percentileMs(50), d.percentileMs(90), d.percentileMs(95), d.percentileMs(99)));
    }
}
