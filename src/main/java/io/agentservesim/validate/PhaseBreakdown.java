package io.agentservesim.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Real vs simulated latency per phase of a run: the requests split, in arrival order, into groups of
 * equal count, each compared on mean TTFT and mean TPOT. The summary rows say how far a replay is off;
 * this says when in the run: e.g. a warm-up phase at the start of the real run, or a batch-size regime
 * the step-time model gets wrong, shows as one group off while the others agree. Both sample sets must
 * hold the same requests in the same (arrival) order.
 */
public final class PhaseBreakdown {

    /** One group: requests [first, last] by arrival index; NaN where the group has no TPOT sample. */
    public record Phase(int first, int last, double realTtftMs, double simTtftMs, double realTpotMs,
                        double simTpotMs) {
        public double ttftDiffPct() {
            return (simTtftMs - realTtftMs) / realTtftMs * 100.0;
        }

        public double tpotDiffPct() {
            return (simTpotMs - realTpotMs) / realTpotMs * 100.0;
        }
    }

    private final List<Phase> phases;

    private PhaseBreakdown(List<Phase> phases) {
        this.phases = phases;
    }

    public static PhaseBreakdown of(LatencySamples real, LatencySamples sim, int groups) {
        int n = real.size();
        if (sim.size() != n) {
            throw new IllegalArgumentException("real has " + n + " requests, sim " + sim.size());
        }
        if (groups < 1) {
            throw new IllegalArgumentException("groups must be >= 1, got " + groups);
        }
        int g = Math.min(groups, n);
        List<Phase> out = new ArrayList<>(g);
        for (int k = 0; k < g; k++) {
            int from = (int) ((long) n * k / g);
            int to = (int) ((long) n * (k + 1) / g);
            double rTtft = 0;
            double sTtft = 0;
            double rTpot = 0;
            double sTpot = 0;
            int tpots = 0;
            for (int i = from; i < to; i++) {
                rTtft += real.ttftOf(i);
                sTtft += sim.ttftOf(i);
                double r = real.tpotOf(i);
                double s = sim.tpotOf(i);
                if (!Double.isNaN(r) && !Double.isNaN(s)) {
                    rTpot += r;
                    sTpot += s;
                    tpots++;
                }
            }
            int count = to - from;
            out.add(new Phase(from, to - 1, rTtft / count, sTtft / count,
                    tpots == 0 ? Double.NaN : rTpot / tpots, tpots == 0 ? Double.NaN : sTpot / tpots));
        }
        return new PhaseBreakdown(List.copyOf(out));
    }

    public List<Phase> phases() {
        return phases;
    }

    public String toTable() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-12s %12s %12s %8s %10s %10s %8s%n", "Requests", "TTFT vLLM",
                "TTFT Sim", "Diff%", "TPOT vLLM", "TPOT Sim", "Diff%"));
        b.append("-".repeat(78)).append('\n');
        for (Phase p : phases) {
            b.append(String.format(Locale.ROOT, "%-12s %12.1f %12.1f %+7.1f%% %10.2f %10.2f %+7.1f%%%n",
                    p.first() + "-" + p.last(), p.realTtftMs(), p.simTtftMs(), p.ttftDiffPct(), p.realTpotMs(),
                    p.simTpotMs(), p.tpotDiffPct()));
        }
        return b.toString();
    }
}
