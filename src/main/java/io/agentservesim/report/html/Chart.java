package io.agentservesim.report.html;

import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One ECharts chart of the report: its title and its option object (the JSON ECharts' setOption takes).
 * The builders cover the report's four kinds: empirical CDFs (a step line of the sorted values), lines over
 * time (optionally stacked areas), grouped bars and scatter points. Every option has animation off, so a
 * headless browser's first frame is the final one, and values rounded to 4 significant digits, so the file
 * stays small and the same inputs give the same bytes.
 */
record Chart(String title, ObjectNode option) {
    /** A CDF of at most this many points per series (evenly spaced ranks; the exact extremes kept). */
    static final int CDF_POINTS = 400;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** One named series of (x, y) points. */
    record Series(String name, double[] x, double[] y) {
    }

    /** One named set of raw values (a CDF series) or of bar heights. */
    record Values(String name, double[] values) {
    }

    /** The empirical CDF of each value set: x = the value in {@code unit}, y = the share of values <= x. */
    static Chart cdf(String title, String unit, List<Values> sets) {
        ObjectNode o = base(title);
        axis(o.putObject("xAxis"), "value", unit);
        axis(o.putObject("yAxis"), "value", "share <= x").put("min", 0).put("max", 1);
        ArrayNode series = o.putArray("series");
        for (Values v : sets) {
            double[] sorted = v.values().clone();
            Arrays.sort(sorted);
            ObjectNode s = line(series, v.name());
            s.put("step", "end");
            ArrayNode data = s.putArray("data");
            int n = sorted.length;
            int points = Math.min(n, CDF_POINTS);
            for (int i = 0; i < points; i++) {
                int rank = points == 1 ? n - 1 : (int) Math.round((double) i * (n - 1) / (points - 1));
                data.addArray().add(round(sorted[rank])).add(round((rank + 1.0) / n));
            }
        }
        return new Chart(title, o);
    }

    /**
     * Lines over x (time); {@code stacked}: parts of a whole as filled areas, each drawn at the running sum of
     * the parts before it (summed here: ECharts stacks the x dimension when both axes are values). The
     * areas are emitted top part first so each lower area paints over the one above it.
     */
    static Chart lines(String title, String xName, String yName, List<Series> sets, boolean stacked) {
        ObjectNode o = base(title);
        axis(o.putObject("xAxis"), "value", xName);
        axis(o.putObject("yAxis"), "value", yName);
        ArrayNode series = o.putArray("series");
        List<Series> drawn = stacked ? cumulative(sets) : sets;
        for (int k = 0; k < drawn.size(); k++) {
            Series v = drawn.get(stacked ? drawn.size() - 1 - k : k);
            ObjectNode s = line(series, v.name());
            if (stacked) {
                s.putObject("areaStyle").put("opacity", 1);
            }
            ArrayNode data = s.putArray("data");
            for (int i = 0; i < v.x().length; i++) {
                data.addArray().add(round(v.x()[i])).add(round(v.y()[i]));
            }
        }
        return new Chart(title, o);
    }

    /** Each series' y replaced by the sum of its y and the y of every series before it (same x). */
    static List<Series> cumulative(List<Series> sets) {
        List<Series> out = new java.util.ArrayList<>();
        double[] sum = null;
        for (Series v : sets) {
            sum = sum == null ? v.y().clone() : sum.clone();
            if (out.size() > 0) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += v.y()[i];
                }
            }
            out.add(new Series(v.name(), v.x(), sum));
        }
        return out;
    }

    /** Grouped bars: one group per category, one bar per value set (values[i] belongs to categories[i]). */
    static Chart bars(String title, String yName, List<String> categories, List<Values> sets) {
        ObjectNode o = base(title);
        ObjectNode x = axis(o.putObject("xAxis"), "category", null);
        ArrayNode cats = x.putArray("data");
        categories.forEach(cats::add);
        axis(o.putObject("yAxis"), "value", yName);
        ArrayNode series = o.putArray("series");
        for (Values v : sets) {
            ObjectNode s = series.addObject();
            s.put("type", "bar").put("name", v.name());
            ArrayNode data = s.putArray("data");
            for (double d : v.values()) {
                data.add(round(d));
            }
        }
        return new Chart(title, o);
    }

    /** A line per value set over categories (values[i] at categories[i]; NaN leaves a gap). */
    static Chart categoryLines(String title, String xName, String yName, List<String> categories, List<Values> sets) {
        ObjectNode o = base(title);
        ObjectNode x = axis(o.putObject("xAxis"), "category", xName);
        ArrayNode cats = x.putArray("data");
        categories.forEach(cats::add);
        axis(o.putObject("yAxis"), "value", yName).put("scale", true);
        ArrayNode series = o.putArray("series");
        for (Values v : sets) {
            ObjectNode s = series.addObject();
            s.put("type", "line").put("name", v.name()).put("connectNulls", true);
            ArrayNode data = s.putArray("data");
            for (double d : v.values()) {
                if (Double.isNaN(d)) {
                    data.addNull();
                } else {
                    data.add(round(d));
                }
            }
        }
        return new Chart(title, o);
    }

    /** Points (x, y), one named series each; {@code labels[i]} names point i of every series in the tooltip. */
    static Chart scatter(String title, String xName, String yName, List<Series> sets, List<List<String>> labels) {
        ObjectNode o = base(title);
        ((ObjectNode) o.get("tooltip")).put("trigger", "item");
        axis(o.putObject("xAxis"), "value", xName).put("scale", true);
        axis(o.putObject("yAxis"), "value", yName).put("scale", true);
        ArrayNode series = o.putArray("series");
        for (int k = 0; k < sets.size(); k++) {
            Series v = sets.get(k);
            ObjectNode s = series.addObject();
            s.put("type", "scatter").put("name", v.name()).put("symbolSize", 9);
            ArrayNode data = s.putArray("data");
            for (int i = 0; i < v.x().length; i++) {
                ObjectNode point = data.addObject();
                point.putArray("value").add(round(v.x()[i])).add(round(v.y()[i]));
                if (labels != null) {
                    point.put("name", labels.get(k).get(i));
                }
            }
        }
        return new Chart(title, o);
    }

    /** The same chart with a line series added through the given points (e.g. a Pareto front). */
    Chart withLine(Series front) {
        ObjectNode s = line((ArrayNode) option.get("series"), front.name());
        ArrayNode data = s.putArray("data");
        for (int i = 0; i < front.x().length; i++) {
            data.addArray().add(round(front.x()[i])).add(round(front.y()[i]));
        }
        return this;
    }

    private static ObjectNode base(String title) {
        ObjectNode o = JSON.objectNode();
        o.put("animation", false);
        o.putObject("title").put("text", title).put("left", "center").putObject("textStyle").put("fontSize", 14);
        o.putObject("tooltip").put("trigger", "axis");
        o.putObject("legend").put("top", 24).put("type", "scroll");
        o.putObject("grid").put("top", 64).put("left", 72).put("right", 32).put("bottom", 48);
        return o;
    }

    private static ObjectNode axis(ObjectNode a, String type, String name) {
        a.put("type", type);
        if (name != null) {
            a.put("name", name).put("nameLocation", "middle").put("nameGap", 30);
        }
        return a;
    }

    private static ObjectNode line(ArrayNode series, String name) {
        ObjectNode s = series.addObject();
        s.put("type", "line").put("name", name).put("showSymbol", false);
        return s;
    }

    /** {@code v} to 4 significant digits (0 for NaN or infinity). */
    static double round(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return 0;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }
}
