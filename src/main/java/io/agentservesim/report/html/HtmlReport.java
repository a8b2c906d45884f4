package io.agentservesim.report.html;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code asim report}: one self-contained HTML file of one or more runs (and sweeps), viewable offline. The
 * ECharts library (the webjar's echarts.common.min.js) and the chart data are inlined in script elements;
 * a {@code </script} or {@code <!--} inside them is escaped so the HTML parser cannot end the script early
 * (STACK.md's pitfall). Charts use the SVG renderer with animation off. The page records what it drew for a
 * headless check: the body's {@code data-asim-charts} attribute counts the charts set up, and every script
 * error or console.error lands in {@code #asim-errors} (and {@code data-asim-errors}).
 *
 * <p>The same inputs give the same bytes (no time stamps, values rounded in {@link Chart}). The file is
 * written next to its final name and moved into place; an existing file is replaced only when it is an
 * earlier asim report (it starts with {@link #MARKER}), so a report never overwrites a user's file.
 */
public final class HtmlReport {
    /** The first line of every report, by which an earlier report is recognised. */
    public static final String MARKER = "<!DOCTYPE html><!-- asim report -->";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.5.0/echarts.common.min.js";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern END_SCRIPT = Pattern.compile("(?i)</(script)");

    /** A titled group of charts, with an optional HTML table above them. */
    record Section(String heading, String tableHtml, List<Chart> charts) {
    }

    private HtmlReport() {
    }

    /** Writes the report of {@code runDirs} and {@code sweepDirs} to {@code out}. */
    public static void write(List<Path> runDirs, List<Path> sweepDirs, Path out) {
        List<RunData> runs = new ArrayList<>();
        for (Path d : runDirs) {
            runs.add(RunData.read(d));
        }
        write(runs, sweepDirs, title(runDirs, sweepDirs), out);
    }

    /** Writes the report of the one run in {@code dir} (e.g. a staging folder) under the name {@code name}. */
    public static void writeRun(Path dir, String name, Path out) {
        write(List.of(RunData.read(dir, name)), List.of(), "asim report: " + name, out);
    }

    private static void write(List<RunData> runs, List<Path> sweepDirs, String title, Path out) {
        List<Section> sections = new ArrayList<>();
        if (!runs.isEmpty()) {
            sections.add(new Section("Runs", summaryTable(runs), List.of()));
            sections.add(new Section("Latency", null, RunCharts.latency(runs)));
            sections.add(new Section("Over time", null, RunCharts.overTime(runs)));
            List<Chart> router = RunCharts.router(runs);
            if (!router.isEmpty()) {
                sections.add(new Section("Router", null, router));
            }
            List<Chart> tools = RunCharts.toolGaps(runs);
            if (!tools.isEmpty()) {
                sections.add(new Section("Tool gaps", null, tools));
            }
        }
        for (Path d : sweepDirs) {
            sections.addAll(SweepCharts.sections(SweepData.read(d)));
        }
        writeAtomically(out, render(title, sections));
    }

    /** The whole page. */
    static String render(String title, List<Section> sections) {
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        StringBuilder body = new StringBuilder();
        int chart = 0;
        for (Section s : sections) {
            body.append("<h2>").append(escape(s.heading())).append("</h2>\n");
            if (s.tableHtml() != null) {
                body.append(s.tableHtml());
            }
            for (Chart c : s.charts()) {
                body.append("<div class=\"chart\" id=\"chart-").append(chart++).append("\"></div>\n");
                data.add(c.option());
            }
        }
        StringBuilder b = new StringBuilder(1 << 20);
        b.append(MARKER).append('\n');
        b.append("<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n");
        b.append("<style>body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
                + ".chart{width:100%;max-width:1100px;height:380px;margin:8px 0 24px}"
                + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
                + "th:first-child,td:first-child{text-align:left}#asim-errors{color:#b00}</style>\n");
        // Installed before ECharts loads, so an error while it loads is caught too.
        b.append("<script>window.asimErrors=[];function asimFail(m){window.asimErrors.push(String(m));"
                + "var e=document.getElementById('asim-errors');if(e){e.textContent=window.asimErrors.join('\\n');}"
                + "document.documentElement.setAttribute('data-asim-errors',String(window.asimErrors.length));}"
                + "window.addEventListener('error',function(e){asimFail(e.message);});"
                + "(function(){var ce=console.error;console.error=function(){asimFail(Array.prototype.join.call(arguments,' '));"
                + "ce.apply(console,arguments);};})();</script>\n");
        b.append("<script>").append(inlineScript(echarts())).append("</script>\n");
        b.append("</head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        b.append("<pre id=\"asim-errors\"></pre>\n");
        b.append(body);
        b.append("<script>var ASIM_CHARTS=").append(inlineJson(data)).append(";\n");
        b.append("(function(){var drawn=0;for(var i=0;i<ASIM_CHARTS.length;i++){try{"
                + "var c=echarts.init(document.getElementById('chart-'+i),null,{renderer:'svg'});"
                + "c.setOption(ASIM_CHARTS[i]);drawn++;}catch(e){asimFail('chart '+i+': '+e);}}"
                + "document.body.setAttribute('data-asim-charts',String(drawn));"
                + "window.addEventListener('resize',function(){for(var i=0;i<ASIM_CHARTS.length;i++){"
                + "var c=echarts.getInstanceByDom(document.getElementById('chart-'+i));if(c){c.resize();}}});})();\n");
        b.append("</script>\n</body></html>\n");
        return b.toString();
    }

    /** The key numbers of each run, one column per run. */
    static String summaryTable(List<RunData> runs) {
        String[][] rows = {
            {"completed turns", "completed", "%.0f"}, {"failed", "failed", "%.0f"},
            {"duration (s)", "duration", "%.1f"},
            {"request throughput (/s)", "request_throughput", "%.3f"},
            {"output throughput (tok/s)", "output_throughput", "%.1f"},
            {"mean TTFT (ms)", "mean_ttft_ms", "%.1f"}, {"median TTFT (ms)", "median_ttft_ms", "%.1f"},
            {"p99 TTFT (ms)", "p99_ttft_ms", "%.1f"},
            {"mean TPOT (ms)", "mean_tpot_ms", "%.2f"}, {"p99 TPOT (ms)", "p99_tpot_ms", "%.2f"},
            {"mean E2E (ms)", "mean_e2el_ms", "%.1f"}, {"p99 E2E (ms)", "p99_e2el_ms", "%.1f"},
            {"programs", "/programs/count", "%.0f"}, {"mean JCT (s)", "/programs/jct_s/mean", "%.2f"},
            {"p99 JCT (s)", "/programs/jct_s/p99", "%.2f"},
            {"turns within SLO (TTFT and TPOT)", "/slo/turns_within_slo", "%.4f"},
            {"programs within JCT SLO", "/slo/programs_within_jct", "%.4f"},
            {"prefix hit rate", "/prefix_cache/hit_rate", "%.4f"},
            {"preemptions", "/turns/preemptions", "%.0f"},
            {"GPU-hours", "/engine/gpu_hours", "%.4f"},
            {"energy (kJ)", "/energy/energy_j", "kJ"}, {"J per output token", "/energy/j_per_output_token", "%.4f"},
            {"world steps", "/world/steps", "%.0f"}, {"world step time p99 (s)", "/world/step_time_s/p99", "%.3f"},
            {"world end to end (s)", "/world/end_to_end_s", "%.2f"},
            {"step time source", "/engine/step_time_source", "text"},
        };
        StringBuilder b = new StringBuilder("<table><tr><th>metric</th>");
        for (RunData r : runs) {
            b.append("<th>").append(escape(r.name())).append("</th>");
        }
        b.append("</tr>\n");
        for (String[] row : rows) {
            b.append("<tr><td>").append(row[0]).append("</td>");
            for (RunData r : runs) {
                JsonNode v = row[1].startsWith("/") ? r.summary().at(row[1]) : r.summary().path(row[1]);
                b.append("<td>").append(escape(format(v, row[2]))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</table>\n").toString();
    }

    private static String format(JsonNode v, String how) {
        if (v.isMissingNode() || v.isNull()) {
            return "-";
        }
        if (how.equals("text")) {
            return v.asString();
        }
        if (how.equals("kJ")) {
            return String.format(Locale.ROOT, "%.1f", v.asDouble() / 1e3);
        }
        return String.format(Locale.ROOT, how, v.asDouble());
    }

    private static String title(List<Path> runs, List<Path> sweeps) {
        List<String> names = new ArrayList<>();
        for (Path p : runs) {
            names.add(name(p));
        }
        for (Path p : sweeps) {
            names.add("sweep " + name(p));
        }
        return "asim report: " + String.join(", ", names);
    }

    /** A folder's display name: its last path element. */
    public static String name(Path dir) {
        Path n = dir.toAbsolutePath().normalize().getFileName();
        return n == null ? dir.toString() : n.toString();
    }

    /** Chart data as a JS literal: JSON with every '<' written as \u003c, so no markup can appear in it. */
    static String inlineJson(JsonNode data) {
        return JSON.writeValueAsString(data).replace("<", "\\u003c")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** A script's text with {@code </script} and {@code <!--} broken up (same meaning inside JS strings). */
    static String inlineScript(String js) {
        return END_SCRIPT.matcher(js).replaceAll("<\\\\/$1").replace("<!--", "<\\!--");
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String echarts() {
        try (InputStream in = HtmlReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IllegalStateException("the ECharts webjar is not on the classpath: " + ECHARTS);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code html} to a temporary file beside {@code out}, then moves it over {@code out}. */
    static void writeAtomically(Path out, String html) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.isDirectory(target)) {
            throw InputException.at(out, "expected a file name for the report, got a folder");
        }
        if (Files.exists(target) && !isReport(target)) {
            throw InputException.at(out, "exists and is not an asim report; refusing to overwrite it");
        }
        Path dir = target.getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".asim-report-", ".html.tmp");
            try {
                Files.writeString(tmp, html);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isReport(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(MARKER.length());
            return new String(head, StandardCharsets.UTF_8).equals(MARKER);
        } catch (IOException e) {
            return false;
        }
    }
}
