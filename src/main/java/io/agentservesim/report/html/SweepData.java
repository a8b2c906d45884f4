package io.agentservesim.report.html;

import io.agentservesim.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A sweep folder read back for the report: sweep.csv, one row per cell with the cell's axis values and its
 * summary metrics. The axes are the columns named in sweep.json's {@code axes} list when that file is there,
 * else the columns whose names are config key paths (they hold a dot, e.g. {@code scheduling.policy}); every
 * other numeric column is a metric. Axis values are kept as text (a policy name and a rate alike).
 */
record SweepData(String name, List<String> cellIds, List<String> axes, List<List<String>> axisValues,
                 List<String> metrics, List<double[]> metricValues) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static SweepData read(Path dir) {
        Path csv = dir.resolve("sweep.csv");
        if (!Files.isRegularFile(csv)) {
            throw InputException.at(dir, "expected a sweep folder with sweep.csv (asim sweep)");
        }
        List<String> header = CsvColumns.header(csv);
        List<String> axes = axes(dir.resolve("sweep.json"), header);
        List<String> text = new ArrayList<>(axes);
        boolean ids = header.contains("cell_id");
        if (ids) {
            text.add("cell_id");
        }
        CsvColumns all = CsvColumns.read(csv, List.of(), header);
        List<String> metrics = new ArrayList<>();
        for (String c : header) {
            if (!text.contains(c) && numeric(all.texts(c))) {
                metrics.add(c);
            }
        }
        CsvColumns t = CsvColumns.read(csv, metrics, text);
        List<List<String>> axisValues = new ArrayList<>();
        for (String a : axes) {
            axisValues.add(t.texts(a));
        }
        List<double[]> values = new ArrayList<>();
        for (String m : metrics) {
            values.add(t.numbers(m));
        }
        List<String> cellIds = new ArrayList<>();
        for (int i = 0; i < t.rows(); i++) {
            cellIds.add(ids ? t.texts("cell_id").get(i) : "cell " + i);
        }
        return new SweepData(HtmlReport.name(dir), cellIds, axes, axisValues, metrics, values);
    }

    double[] metric(String name) {
        int i = metrics.indexOf(name);
        return i < 0 ? null : metricValues.get(i);
    }

    int cells() { return cellIds.size(); }

    private static List<String> axes(Path meta, List<String> header) {
        List<String> axes = new ArrayList<>();
        if (Files.isRegularFile(meta)) {
            JsonNode root;
            try {
                root = JSON.readTree(meta.toFile());
            } catch (JacksonException e) {
                throw InputException.at(meta, "cannot read: " + e.getOriginalMessage());
            }
            for (JsonNode a : root.path("axes")) {
                String name = a.isObject() ? a.path("key").asString() : a.asString();
                if (!header.contains(name)) {
                    throw InputException.at(meta, "axes: " + name + " is not a column of sweep.csv");
                }
                axes.add(name);
            }
            return axes;
        }
        for (String c : header) {
            if (c.contains(".")) {
                axes.add(c);
            }
        }
        return axes;
    }

    private static boolean numeric(List<String> cells) {
        boolean any = false;
        for (String c : cells) {
            if (c.isEmpty()) {
                continue;
            }
            try {
                Double.parseDouble(c);
                any = true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return any;
    }
}
