package io.agentservesim.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Parses the profiler's axis descriptions in meta.yaml {@code attention_grid}, e.g.
 * {@code "0, 16-2048 x2"}: comma-separated items, each a single value or a geometric range
 * {@code FROM-TO xFACTOR} (FROM, FROM·F, FROM·F², … up to TO, each rounded to the nearest integer,
 * which is how the profiler writes 1.5× grids such as 81, 122, 182).
 */
final class GridSpec {
    private GridSpec() {}

    /** The sorted distinct axis values, or throws IllegalArgumentException with what was wrong. */
    static int[] parse(String spec) {
        TreeSet<Integer> values = new TreeSet<>();
        for (String raw : spec.split(",")) {
            String item = raw.strip();
            if (item.isEmpty()) {
                continue;
            }
            int dash = item.indexOf('-');
            if (dash < 0) {
                values.add(parseInt(item));
                continue;
            }
            String[] rangeAndFactor = item.substring(dash + 1).strip().split("\\s+");
            int from = parseInt(item.substring(0, dash).strip());
            int to = parseInt(rangeAndFactor[0]);
            double factor = 2.0;
            if (rangeAndFactor.length == 2 && rangeAndFactor[1].startsWith("x")) {
                factor = Double.parseDouble(rangeAndFactor[1].substring(1));
            } else if (rangeAndFactor.length != 1) {
                throw new IllegalArgumentException("bad range '" + item + "'");
            }
            if (from <= 0 || to < from || !(factor > 1.0)) {
                throw new IllegalArgumentException("bad range '" + item + "'");
            }
            for (int p = 0; ; p++) {
                long v = Math.round(from * Math.pow(factor, p));
                if (v > to) {
                    break;
                }
                values.add((int) v);
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values in '" + spec + "'");
        }
        List<Integer> list = new ArrayList<>(values);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int parseInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }
}
