package io.agentservesim.report.html;

import io.agentservesim.report.html.Chart.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The charts of a sweep: each metric against each axis (one line per combination of the other axes' values,
 * at most {@link #MAX_GROUPS}, else one point set) and a Pareto chart of cost (energy, else GPU-hours)
 * against latency (mean E2E, else mean TTFT) with the front of cells no other cell beats on both.
 */
final class SweepCharts {
    static final int MAX_GROUPS = 12;
    /** The metrics plotted against the axes, where sweep.csv has them (vllm bench serve key names first). */
    static final List<String> METRICS = List.of("mean_ttft_ms", "p99_ttft_ms", "mean_tpot_ms", "p99_tpot_ms",
            "mean_e2el_ms", "p99_e2el_ms", "request_throughput", "output_throughput", "jct_mean_s", "energy_j",
            "gpu_hours");
    private static final List<String> COSTS = List.of("energy_j", "gpu_hours");
    private static final List<String> LATENCIES = List.of("mean_e2el_ms", "mean_ttft_ms", "jct_mean_s");

    private SweepCharts() {
    }

    static List<HtmlReport.Section> sections(SweepData s) {
        List<String> metrics = new ArrayList<>();
        for (String m : METRICS) {
            if (s.metric(m) != null) {
                metrics.add(m);
            }
        }
        if (metrics.isEmpty()) {
            metrics.addAll(s.metrics());
        }
        List<HtmlReport.Section> out = new ArrayList<>();
        for (int a = 0; a < s.axes().size(); a++) {
            List<Chart> charts = new ArrayList<>();
            for (String m : metrics) {
                charts.add(againstAxis(s, a, m));
            }
            out.add(new HtmlReport.Section("Sweep " + s.name() + ": metrics against " + s.axes().get(a), null, charts));
        }
        Chart pareto = pareto(s);
        if (pareto != null) {
            out.add(new HtmlReport.Section("Sweep " + s.name() + ": cost against latency", null, List.of(pareto)));
        }
        return out;
    }

    /** {@code metric} over the values of axis {@code a}; a line per combination of the other axes. */
    static Chart againstAxis(SweepData s, int a, String metric) {
        List<String> values = s.axisValues().get(a);
        List<String> categories = sortedDistinct(values);
        Map<String, double[]> groups = new LinkedHashMap<>();
        double[] y = s.metric(metric);
        for (int cell = 0; cell < s.cells(); cell++) {
            String group = others(s, a, cell);
            double[] line = groups.computeIfAbsent(group, g -> nan(categories.size()));
            line[categories.indexOf(values.get(cell))] = y[cell];
        }
        if (groups.size() > MAX_GROUPS) {
            groups.clear();
            for (int cell = 0; cell < s.cells(); cell++) {
                groups.computeIfAbsent("cell " + cell, g -> nan(categories.size()))[categories.indexOf(values.get(cell))] = y[cell];
            }
        }
        List<Chart.Values> sets = new ArrayList<>();
        groups.forEach((g, v) -> sets.add(new Chart.Values(g.isEmpty() ? metric : g, v)));
        return Chart.categoryLines(metric + " against " + s.axes().get(a), s.axes().get(a), metric, categories, sets);
    }

    /** Cost against latency, every cell a point, and the Pareto front (lower is better on both). */
    static Chart pareto(SweepData s) {
        String cost = first(s, COSTS);
        String latency = first(s, LATENCIES);
        if (cost == null || latency == null) {
            return null;
        }
        double[] x = s.metric(latency);
        double[] y = s.metric(cost);
        int[] front = front(x, y);
        double[] fx = new double[front.length];
        double[] fy = new double[front.length];
        for (int i = 0; i < front.length; i++) {
            fx[i] = x[front[i]];
            fy[i] = y[front[i]];
        }
        List<String> labels = new ArrayList<>();
        for (int cell = 0; cell < s.cells(); cell++) {
            StringBuilder b = new StringBuilder(s.cellIds().get(cell));
            for (int a = 0; a < s.axes().size(); a++) {
                b.append(' ').append(s.axes().get(a)).append('=').append(s.axisValues().get(a).get(cell));
            }
            labels.add(b.toString());
        }
        return Chart.scatter("Pareto: " + cost + " against " + latency, latency, cost,
                List.of(new Series("cells", x, y)), List.of(labels)).withLine(new Series("Pareto front", fx, fy));
    }

    /** Indices of the cells no other cell beats on both (x, y), lower better, in increasing x. */
    static int[] front(double[] x, double[] y) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (p, q) -> x[p] != x[q] ? Double.compare(x[p], x[q]) : Double.compare(y[p], y[q]));
        List<Integer> f = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (int i : order) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
                continue;
            }
            if (y[i] < best) {
                f.add(i);
                best = y[i];
            }
        }
        return f.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String others(SweepData s, int a, int cell) {
        StringBuilder b = new StringBuilder();
        for (int o = 0; o < s.axes().size(); o++) {
            if (o != a) {
                b.append(b.isEmpty() ? "" : ", ").append(s.axes().get(o)).append('=').append(s.axisValues().get(o).get(cell));
            }
        }
        return b.toString();
    }

    /** Distinct values, numerically ordered when all are numbers, else by text. */
    static List<String> sortedDistinct(List<String> values) {
        boolean numbers = values.stream().allMatch(SweepCharts::isNumber);
        TreeSet<String> set = new TreeSet<>(numbers
                ? (java.util.Comparator<String>) (p, q) -> Double.compare(Double.parseDouble(p), Double.parseDouble(q))
                : java.util.Comparator.<String>naturalOrder());
        set.addAll(values);
        return new ArrayList<>(set);
    }

    private static boolean isNumber(String v) {
        try {
            Double.parseDouble(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String first(SweepData s, List<String> names) {
        for (String n : names) {
            if (s.metric(n) != null) {
                return n;
            }
        }
        return null;
    }

    private static double[] nan(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }
}
