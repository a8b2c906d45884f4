package io.agentservesim.report.html;

import io.agentservesim.report.html.Chart.Series;
import io.agentservesim.report.html.Chart.Values;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The charts of one or more runs, each run a series where runs can share a chart: CDFs of TTFT, TPOT, E2E
 * (turns) and JCT (programs); output throughput, running and waiting requests, and power over time (sums
 * over instances); per run the KV blocks by state and tier over time (stacked) and a histogram of tool
 * gaps by tool; the router's counters side by side.
 */
final class RunCharts {
    /** Tools drawn separately in a gap histogram; the rest are summed into "other". */
    static final int MAX_TOOLS = 8;
    static final int GAP_BINS = 20;
    private static final List<String> KV_STATES = List.of("gpu_locked_blocks", "gpu_pinned_blocks",
            "gpu_cached_free_blocks", "gpu_free_blocks", "host_used_blocks", "cxl_used_blocks");
    private static final List<String> ROUTER = List.of("routes", "affinity_hits", "affinity_breaks", "cold_placements");

    private RunCharts() {
    }

    static List<Chart> latency(List<RunData> runs) {
        List<Chart> charts = new ArrayList<>();
        charts.add(Chart.cdf("TTFT per turn (CDF)", "TTFT (ms)", values(runs, RunData::ttftMs)));
        charts.add(Chart.cdf("TPOT per turn (CDF, turns with > 1 output token)", "TPOT (ms)", values(runs, RunData::tpotMs)));
        charts.add(Chart.cdf("E2E latency per turn (CDF)", "E2E (ms)", values(runs, RunData::e2eMs)));
        charts.add(Chart.cdf("JCT per program (CDF)", "JCT (s)", values(runs, RunData::jctS)));
        return charts;
    }

    static List<Chart> overTime(List<RunData> runs) {
        List<Chart> charts = new ArrayList<>();
        charts.add(Chart.lines("Output throughput (all instances)", "time (s)", "tokens/s",
                timeSeries(runs, "output_tokens_per_s", ""), false));
        List<Series> batch = new ArrayList<>(timeSeries(runs, "running", " running"));
        batch.addAll(timeSeries(runs, "waiting", " waiting"));
        charts.add(Chart.lines("Batch size and queue length (all instances)", "time (s)", "requests", batch, false));
        for (RunData r : runs) {
            List<Series> kv = new ArrayList<>();
            for (String state : KV_STATES) {
                if (r.timeline().has(state)) {
                    kv.add(new Series(state.replace("_blocks", ""), r.timeline().timeS(), r.timeline().sums().get(state)));
                }
            }
            if (!kv.isEmpty()) {
                charts.add(Chart.lines("KV blocks by state and tier, stacked: " + r.name(), "time (s)", "blocks", kv, true));
            }
        }
        List<Series> power = timeSeries(runs, "power_w", "");
        if (!power.isEmpty()) {
            charts.add(Chart.lines("Power (all instances)", "time (s)", "W", power, false));
        }
        return charts;
    }

    static List<Chart> router(List<RunData> runs) {
        List<Values> sets = new ArrayList<>();
        for (RunData r : runs) {
            JsonNode router = r.summary().path("router");
            if (router.isObject()) {
                double[] v = new double[ROUTER.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = router.path(ROUTER.get(i)).asDouble(0);
                }
                sets.add(new Values(r.name(), v));
            }
        }
        return sets.isEmpty() ? List.of() : List.of(Chart.bars("Router counters", "turns", ROUTER, sets));
    }

    /** One histogram per run with tool gaps: log-spaced bins over the run's gaps, a bar series per tool. */
    static List<Chart> toolGaps(List<RunData> runs) {
        List<Chart> charts = new ArrayList<>();
        for (RunData r : runs) {
            Map<String, double[]> byTool = topTools(r.toolGapsS());
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (double[] gaps : byTool.values()) {
                for (double g : gaps) {
                    if (g > 0) {
                        lo = Math.min(lo, g);
                        hi = Math.max(hi, g);
                    }
                }
            }
            if (!(hi > 0)) {
                continue;
            }
            double[] edges = logEdges(lo, hi, GAP_BINS);
            List<String> labels = new ArrayList<>();
            for (int b = 0; b + 1 < edges.length; b++) {
                labels.add(String.format(Locale.ROOT, "%.3g-%.3g", edges[b], edges[b + 1]));
            }
            List<Values> sets = new ArrayList<>();
            byTool.forEach((tool, gaps) -> sets.add(new Values(tool, histogram(gaps, edges))));
            charts.add(Chart.bars("Tool gaps by tool (s, log bins): " + r.name(), "turns", labels, sets));
        }
        return charts;
    }

    /** The {@link #MAX_TOOLS} most frequent tools (ties by name), the others pooled as "other". */
    static Map<String, double[]> topTools(Map<String, double[]> gaps) {
        List<Map.Entry<String, double[]>> order = new ArrayList<>(gaps.entrySet());
        order.sort(Comparator.<Map.Entry<String, double[]>>comparingInt(e -> -e.getValue().length)
                .thenComparing(Map.Entry::getKey));
        Map<String, double[]> top = new LinkedHashMap<>();
        it.unimi.dsi.fastutil.doubles.DoubleArrayList other = new it.unimi.dsi.fastutil.doubles.DoubleArrayList();
        for (int i = 0; i < order.size(); i++) {
            if (i < MAX_TOOLS) {
                top.put(order.get(i).getKey(), order.get(i).getValue());
            } else {
                other.addElements(other.size(), order.get(i).getValue());
            }
        }
        if (!other.isEmpty()) {
            top.put("other", other.toDoubleArray());
        }
        return top;
    }

    /** {@code bins + 1} edges from lo to hi, evenly spaced in log; one bin [lo, lo] when lo == hi. */
    static double[] logEdges(double lo, double hi, int bins) {
        if (hi <= lo) {
            return new double[] {lo, hi};
        }
        double[] e = new double[bins + 1];
        double a = Math.log(lo);
        double step = (Math.log(hi) - a) / bins;
        for (int i = 0; i <= bins; i++) {
            e[i] = Math.exp(a + i * step);
        }
        e[0] = lo;
        e[bins] = hi;
        return e;
    }

    /** Counts of {@code values} per bin [e_i, e_i+1), the last bin closed; values outside (0 gaps) are left out. */
    static double[] histogram(double[] values, double[] edges) {
        double[] counts = new double[edges.length - 1];
        for (double v : values) {
            if (v < edges[0] || v > edges[edges.length - 1]) {
                continue;
            }
            int b = java.util.Arrays.binarySearch(edges, v);
            int bin = b >= 0 ? b : -b - 2;
            counts[Math.min(bin, counts.length - 1)]++;
        }
        return counts;
    }

    private static List<Values> values(List<RunData> runs, java.util.function.Function<RunData, double[]> f) {
        List<Values> sets = new ArrayList<>();
        for (RunData r : runs) {
            if (f.apply(r).length > 0) {
                sets.add(new Values(r.name(), f.apply(r)));
            }
        }
        return sets;
    }

    private static List<Series> timeSeries(List<RunData> runs, String column, String suffix) {
        List<Series> sets = new ArrayList<>();
        for (RunData r : runs) {
            if (r.timeline().has(column)) {
                sets.add(new Series(r.name() + suffix, r.timeline().timeS(), r.timeline().sums().get(column)));
            }
        }
        return sets;
    }
}
