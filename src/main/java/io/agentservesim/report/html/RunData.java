package io.agentservesim.report.html;

import io.agentservesim.error.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the report shows of one run folder, read back from the files the run wrote: summary.json (required),
 * turns.csv (required: TTFT, TPOT, E2E and the tool gap of every turn), programs.csv (JCT) and
 * timeseries.csv (the sampler's rows, summed over instances per sample time). Latencies are converted to
 * ms, JCT and gaps to s. A folder that is not a run is an input error naming the missing file.
 */
record RunData(String name, Path dir, JsonNode summary, double[] ttftMs, double[] tpotMs, double[] e2eMs,
               double[] jctS, Map<String, double[]> toolGapsS, Timeline timeline) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final double NS_PER_MS = 1e6;
    private static final double NS_PER_S = 1e9;

    /** The sampler's columns the report plots, in this order where present. */
    static final List<String> SAMPLED = List.of("running", "waiting", "gpu_locked_blocks", "gpu_pinned_blocks",
            "gpu_cached_free_blocks", "gpu_free_blocks", "host_used_blocks", "cxl_used_blocks", "output_tokens_per_s",
            "power_w");

    /** Sample times (s) and, per sampled column, its sum over instances at each time. */
    record Timeline(double[] timeS, Map<String, double[]> sums) {
        static final Timeline EMPTY = new Timeline(new double[0], Map.of());

        boolean has(String column) {
            return sums.containsKey(column);
        }
    }

    static RunData read(Path dir) {
        return read(dir, HtmlReport.name(dir));
    }

    /** The run in {@code dir}, shown as {@code name}. */
    static RunData read(Path dir, String name) {
        Path summaryFile = dir.resolve("summary.json");
        Path turnsFile = dir.resolve("turns.csv");
        if (!Files.isRegularFile(summaryFile) || !Files.isRegularFile(turnsFile)) {
            throw InputException.at(dir, "expected a run folder with summary.json and turns.csv (asim run --out)");
        }
        JsonNode summary;
        try {
            summary = JSON.readTree(summaryFile.toFile());
        } catch (JacksonException e) {
            throw InputException.at(summaryFile, "cannot read: " + e.getOriginalMessage());
        }
        List<String> turnCols = CsvColumns.header(turnsFile);
        boolean tools = turnCols.contains("tool_name") && turnCols.contains("tool_gap_ns");
        CsvColumns turns = CsvColumns.read(turnsFile,
                tools ? List.of("ttft_ns", "tpot_ns", "e2e_ns", "output_tokens", "tool_gap_ns")
                        : List.of("ttft_ns", "tpot_ns", "e2e_ns", "output_tokens"),
                tools ? List.of("tool_name") : List.of());
        double[] ttft = scaled(turns.numbers("ttft_ns"), NS_PER_MS);
        double[] e2e = scaled(turns.numbers("e2e_ns"), NS_PER_MS);
        double[] out = turns.numbers("output_tokens");
        double[] tpotAll = turns.numbers("tpot_ns");
        int decoding = 0;
        for (double o : out) {
            decoding += o > 1 ? 1 : 0;
        }
        double[] tpot = new double[decoding];
        for (int i = 0, k = 0; i < out.length; i++) {
            if (out[i] > 1) {
                tpot[k++] = tpotAll[i] / NS_PER_MS;
            }
        }
        Map<String, double[]> gaps = tools ? toolGaps(turns.texts("tool_name"), turns.numbers("tool_gap_ns")) : Map.of();
        return new RunData(name, dir, summary, ttft, tpot, e2e, jct(dir.resolve("programs.csv")), gaps,
                timeline(dir.resolve("timeseries.csv")));
    }

    /** Gaps (s) per tool name, tools in order of first appearance; turns without a gap or a name are left out. */
    private static Map<String, double[]> toolGaps(List<String> names, double[] gapNs) {
        Map<String, it.unimi.dsi.fastutil.doubles.DoubleArrayList> by = new LinkedHashMap<>();
        for (int i = 0; i < gapNs.length; i++) {
            String tool = names.get(i);
            if (tool.isEmpty() || !(gapNs[i] >= 0)) {
                continue;
            }
            by.computeIfAbsent(tool, k -> new it.unimi.dsi.fastutil.doubles.DoubleArrayList()).add(gapNs[i] / NS_PER_S);
        }
        Map<String, double[]> gaps = new LinkedHashMap<>();
        by.forEach((tool, list) -> gaps.put(tool, list.toDoubleArray()));
        return gaps;
    }

    private static double[] jct(Path file) {
        if (!Files.isRegularFile(file)) {
            return new double[0];
        }
        CsvColumns programs = CsvColumns.read(file, List.of("jct_ns"), List.of("rejected"));
        double[] jct = programs.numbers("jct_ns");
        List<String> rejected = programs.texts("rejected");
        List<Double> kept = new ArrayList<>();
        for (int i = 0; i < jct.length; i++) {
            if (!"true".equals(rejected.get(i))) {
                kept.add(jct[i] / NS_PER_S);
            }
        }
        return kept.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** timeseries.csv summed over instances per sample time (rows of one time are consecutive or not). */
    private static Timeline timeline(Path file) {
        if (!Files.isRegularFile(file)) {
            return Timeline.EMPTY;
        }
        List<String> header = CsvColumns.header(file);
        List<String> present = new ArrayList<>();
        for (String c : SAMPLED) {
            if (header.contains(c)) {
                present.add(c);
            }
        }
        List<String> numeric = new ArrayList<>(present);
        numeric.add(0, "t_s");
        CsvColumns t = CsvColumns.read(file, numeric, List.of());
        double[] time = t.numbers("t_s");
        Map<Double, Integer> slot = new LinkedHashMap<>();
        for (double at : time) {
            slot.putIfAbsent(at, slot.size());
        }
        double[] times = new double[slot.size()];
        slot.forEach((at, i) -> times[i] = at);
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String c : present) {
            double[] col = t.numbers(c);
            double[] sum = new double[times.length];
            for (int r = 0; r < col.length; r++) {
                if (!Double.isNaN(col[r])) {
                    sum[slot.get(time[r])] += col[r];
                }
            }
            sums.put(c, sum);
        }
        return new Timeline(times, sums);
    }

    private static double[] scaled(double[] ns, double per) {
        double[] v = new double[ns.length];
        for (int i = 0; i < ns.length; i++) {
            v[i] = ns[i] / per;
        }
        return v;
    }
}
