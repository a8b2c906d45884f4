package io.agentservesim.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders asim report's HTML in headless Chromium (the Debian package {@code chromium}, or {@code $CHROMIUM})
 * and checks that every chart drew: the page counts the charts it set up, each chart's box holds an SVG with
 * drawn paths, and no script error or console error was recorded. A screenshot of each report is kept in
 * target/report-screenshots. Profile {@code browser} ({@code mvn -Pbrowser test}); .ci/run installs chromium
 * and runs it. Without a chromium binary the test fails: the profile exists to run it.
 */
@Tag("browser")
class ReportInBrowserTest {
    private static final Path SHOTS = Path.of("target", "report-screenshots");

    @TempDir
    Path tmp;

    @Test
    void agentAndFlatRunReportsDrawEveryChart() throws Exception {
        Path agents = tmp.resolve("agents-fcfs");
        assertThat(Main.execute("run", "examples/agents/fcfs.yaml", "--out", agents.toString(), "--report")).isZero();
        Path flat = tmp.resolve("flat-rtx4090");
        assertThat(Main.execute("run", "examples/rtx4090-llama8b-sharegpt.yaml", "--out", flat.toString())).isZero();
        // The agent run's own report (run --report): 4 CDFs, throughput, batch, KV, power, router, tool gaps.
        assertDrew(agents.resolve("report.html"), 10, "agents-fcfs.png");
        Path both = tmp.resolve("both.html");
        assertThat(Main.execute("report", agents.toString(), flat.toString(), "--out", both.toString())).isZero();
        // Two runs: one KV chart and one tool-gap chart each; the flat run has no tool gaps.
        assertDrew(both, 11, "agents-and-flat.png");
    }

    @Test
    void sweepReportDrawsMetricsAgainstAxesAndPareto() throws Exception {
        Path sweep = Files.createDirectories(tmp.resolve("sweep"));
        StringBuilder csv = new StringBuilder("cell_id,scheduling.policy,workload.rate,mean_ttft_ms,p99_ttft_ms,"
                + "mean_e2el_ms,output_throughput,energy_j\n");
        String[] policies = {"fcfs", "plas", "continuum"};
        double[] rates = {0.5, 1, 2, 4};
        int cell = 0;
        for (int p = 0; p < policies.length; p++) {
            for (double r : rates) {
                double f = 1 - 0.15 * p;
                csv.append(String.format(java.util.Locale.ROOT, "c%02d,%s,%s,%.1f,%.1f,%.1f,%.1f,%.1f%n", cell++,
                        policies[p], r, 100 * r * f, 300 * r * f, 2000 * r * f, 100 * r, 1e5 / (r * f)));
            }
        }
        Files.writeString(sweep.resolve("sweep.csv"), csv);
        Path out = tmp.resolve("sweep.html");
        assertThat(Main.execute("report", sweep.toString(), "--out", out.toString())).isZero();
        // 5 metrics against each of 2 axes, and the Pareto chart.
        assertDrew(out, 11, "sweep.png");
    }

    /** Loads {@code html} in Chromium and checks that {@code charts} charts drew without an error. */
    private void assertDrew(Path html, int charts, String screenshot) throws Exception {
        String source = Files.readString(html);
        assertThat(count(source, "<div class=\"chart\"")).isEqualTo(charts);
        Chromium dom = chromium(html, "--dump-dom");
        assertThat(dom.stderr()).doesNotContain("Uncaught");
        String page = dom.stdout();
        assertThat(page).contains("data-asim-charts=\"" + charts + "\"");
        assertThat(page).as("an error sets data-asim-errors on <html>").doesNotContainPattern("<html[^>]*data-asim-errors");
        assertThat(page).contains("<pre id=\"asim-errors\"></pre>");
        String[] boxes = page.split("<div class=\"chart\"", -1);
        assertThat(boxes).hasSize(charts + 1);
        for (int i = 1; i < boxes.length; i++) {
            String box = boxes[i].substring(0, Math.min(boxes[i].length(), boxes[i].indexOf("</svg>") + 6));
            assertThat(box).as("chart %d of %s", i - 1, html.getFileName()).contains("<svg");
            assertThat(count(box, "<path")).as("chart %d of %s draws paths", i - 1, html.getFileName()).isGreaterThan(3);
        }
        Files.createDirectories(SHOTS);
        Path png = SHOTS.resolve(screenshot).toAbsolutePath();
        Files.deleteIfExists(png);
        chromium(html, "--screenshot=" + png, "--window-size=1200," + (400 * charts + 900), "--hide-scrollbars");
        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    private record Chromium(String stdout, String stderr) {
    }

    private Chromium chromium(Path html, String... args) throws IOException, InterruptedException {
        String binary = System.getenv().getOrDefault("CHROMIUM", "chromium");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--enable-logging=stderr", "--virtual-time-budget=15000",
                "--user-data-dir=" + tmp.resolve("chromium-profile")));
        cmd.addAll(List.of(args));
        cmd.add(html.toAbsolutePath().toUri().toString());
        Path outFile = tmp.resolve("chromium.out");
        Path errFile = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished within 120 s").isTrue();
        String err = Files.readString(errFile, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("chromium exit code; stderr: %s", err).isZero();
        return new Chromium(Files.readString(outFile, StandardCharsets.UTF_8), err);
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
