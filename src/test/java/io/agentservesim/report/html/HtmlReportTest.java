package io.agentservesim.report.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.cli.Main;
import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The report's numbers on a run folder small enough to compute by hand, and the HTML's safety rules. */
class HtmlReportTest {
    @TempDir
    Path tmp;

    /** Four turns (TTFT 40, 10, 30, 20 ms), two programs, two instances sampled at t = 1 and 2 s. */
    private Path run(String name) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("summary.json"), """
                {"completed": 4, "mean_ttft_ms": 25.0, "router": {"routes": 4, "affinity_hits": 2,
                 "affinity_breaks": 1, "cold_placements": 1}, "energy": {"energy_j": 12000.0}}
                """);
        Files.writeString(d.resolve("turns.csv"), """
                program_id,turn_index,ttft_ns,tpot_ns,e2e_ns,output_tokens,tool_name,tool_gap_ns
                0,0,40000000,5000000,90000000,11,"search",2000000000
                0,1,10000000,0,10000000,1,,-1
                1,0,30000000,7000000,100000000,11,"</script><b>x, y</b>",500000000
                1,1,20000000,6000000,80000000,11,"search",1000000000
                """);
        Files.writeString(d.resolve("programs.csv"), """
                program_id,name,arrival_ns,end_ns,jct_ns,turns,rejected
                0,"a",0,3000000000,3000000000,2,false
                1,"b, c",0,6000000000,6000000000,2,false
                2,"d",0,0,0,0,true
                """);
        Files.writeString(d.resolve("timeseries.csv"), """
                t_s,instance,running,waiting,gpu_free_blocks,gpu_locked_blocks,output_tokens_per_s,power_w
                1.000,0,2,1,100,20,50.0,300.0
                1.000,1,1,0,110,10,25.0,250.0
                2.000,0,0,0,120,0,0.0,200.0
                2.000,1,3,2,90,30,75.0,350.0
                """);
        return d;
    }

    @Test
    void readsLatenciesInMsAndGapsBySeconds() throws IOException {
        RunData r = RunData.read(run("r"));
        assertThat(r.ttftMs()).containsExactly(40, 10, 30, 20);
        assertThat(r.tpotMs()).as("the one-token turn has no TPOT").containsExactly(5, 7, 6);
        assertThat(r.jctS()).as("the rejected program is left out").containsExactly(3, 6);
        assertThat(r.toolGapsS()).containsOnlyKeys("search", "</script><b>x, y</b>");
        assertThat(r.toolGapsS().get("search")).containsExactly(2, 1);
        assertThat(r.timeline().timeS()).containsExactly(1, 2);
        assertThat(r.timeline().sums().get("running")).as("summed over instances").containsExactly(3, 3);
        assertThat(r.timeline().sums().get("power_w")).containsExactly(550, 550);
        assertThat(r.timeline().has("host_used_blocks")).isFalse();
    }

    @Test
    void cdfIsTheEmpiricalStepFunction() {
        Chart c = Chart.cdf("t", "ms", List.of(new Chart.Values("r", new double[] {40, 10, 30, 20})));
        assertThat(c.option().at("/series/0/data").toString()).isEqualTo("[[10.0,0.25],[20.0,0.5],[30.0,0.75],[40.0,1.0]]");
        double[] many = new double[10_001];
        for (int i = 0; i < many.length; i++) {
            many[i] = i;
        }
        JsonNode data = Chart.cdf("t", "ms", List.of(new Chart.Values("r", many))).option().at("/series/0/data");
        assertThat(data.size()).isEqualTo(Chart.CDF_POINTS);
        assertThat(data.get(0).toString()).as("1/10001 to 4 digits").isEqualTo("[0.0,9.999E-5]");
        assertThat(data.get(Chart.CDF_POINTS - 1).toString()).isEqualTo("[10000.0,1.0]");
    }

    @Test
    void stackedAreasAreRunningSumsDrawnTopFirst() {
        double[] t = {1, 2};
        Chart c = Chart.lines("kv", "s", "blocks", List.of(new Chart.Series("locked", t, new double[] {30, 30}),
                new Chart.Series("free", t, new double[] {210, 210})), true);
        assertThat(c.option().at("/series/0/name").asString()).isEqualTo("free");
        assertThat(c.option().at("/series/0/data").toString()).isEqualTo("[[1.0,240.0],[2.0,240.0]]");
        assertThat(c.option().at("/series/1/data").toString()).isEqualTo("[[1.0,30.0],[2.0,30.0]]");
    }

    @Test
    void toolGapHistogramCountsEachGapOnce() {
        double[] edges = RunCharts.logEdges(0.5, 2, 2);
        assertThat(edges[1]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RunCharts.histogram(new double[] {0.5, 0.99, 1.0, 2.0, 0.0}, edges)).containsExactly(2, 2);
    }

    @Test
    void paretoFrontKeepsCellsNoOtherBeatsOnBoth() {
        // (latency, cost): c1 is beaten by c0 on both, c3 by c2; c4 ties c0's latency at a higher cost.
        double[] latency = {1, 2, 3, 4, 1};
        double[] cost = {5, 6, 2, 3, 7};
        assertThat(SweepCharts.front(latency, cost)).containsExactly(0, 2);
    }

    @Test
    void sweepAxesFromKeyPathsAndMetricsAgainstEachAxis() throws IOException {
        Path s = Files.createDirectories(tmp.resolve("sw"));
        Files.writeString(s.resolve("sweep.csv"), """
                cell_id,scheduling.policy,workload.rate,mean_ttft_ms,energy_j,mean_e2el_ms
                a,fcfs,2,20,100,200
                b,fcfs,0.5,5,300,90
                c,plas,2,15,120,150
                d,plas,0.5,4,320,80
                """);
        SweepData d = SweepData.read(s);
        assertThat(d.axes()).containsExactly("scheduling.policy", "workload.rate");
        assertThat(d.metrics()).containsExactly("mean_ttft_ms", "energy_j", "mean_e2el_ms");
        Chart byRate = SweepCharts.againstAxis(d, 1, "mean_ttft_ms");
        assertThat(byRate.option().at("/xAxis/data").toString()).as("numeric order").isEqualTo("[\"0.5\",\"2\"]");
        assertThat(byRate.option().at("/series/0/name").asString()).isEqualTo("scheduling.policy=fcfs");
        assertThat(byRate.option().at("/series/0/data").toString()).isEqualTo("[5.0,20.0]");
        assertThat(byRate.option().at("/series/1/data").toString()).isEqualTo("[4.0,15.0]");
        Chart pareto = SweepCharts.pareto(d);
        assertThat(pareto.title()).isEqualTo("Pareto: energy_j against mean_e2el_ms");
        // Every cell is on the front (each is cheaper than all faster ones) until one is beaten on both.
        assertThat(pareto.option().at("/series/1/data").toString())
                .isEqualTo("[[80.0,320.0],[90.0,300.0],[150.0,120.0],[200.0,100.0]]");
        Files.writeString(s.resolve("sweep.csv"), Files.readString(s.resolve("sweep.csv")) + "e,sjf,1,30,400,160\n");
        assertThat(SweepCharts.pareto(SweepData.read(s)).option().at("/series/1/data").size())
                .as("e (160 ms, 400 J) is beaten by c (150 ms, 120 J)").isEqualTo(4);
    }

    @Test
    void pageIsSelfContainedDeterministicAndEscapesMarkupInData() throws IOException {
        Path r = run("my run");
        Path out = tmp.resolve("report.html");
        HtmlReport.write(List.of(r), List.of(), out);
        String html = Files.readString(out);
        assertThat(html).startsWith(HtmlReport.MARKER);
        assertThat(html).doesNotContain("<script src").doesNotContain("<link").contains("echarts.init(");
        // Only the page's own three script elements end; the tool named "</script>..." is escaped in the data.
        assertThat(count(html, "</script>")).isEqualTo(3);
        assertThat(html).contains("\\u003c/script>\\u003cb>x, y\\u003c/b>");
        assertThat(count(html, "<div class=\"chart\"")).as("4 CDFs, throughput, batch, KV, power, router, tools")
                .isEqualTo(10);
        HtmlReport.write(List.of(r), List.of(), out);
        assertThat(Files.readString(out)).as("same inputs, same bytes").isEqualTo(html);
    }

    @Test
    void neverOverwritesAFileItDidNotWrite() throws IOException {
        Path r = run("r");
        Path mine = Files.writeString(tmp.resolve("notes.html"), "<html>my notes</html>");
        assertThatThrownBy(() -> HtmlReport.write(List.of(r), List.of(), mine)).isInstanceOf(InputException.class)
                .hasMessageContaining("not an asim report");
        assertThat(Files.readString(mine)).isEqualTo("<html>my notes</html>");
        assertThat(Main.execute("report", r.toString(), "--out", mine.toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Main.execute("report", tmp.resolve("nowhere").toString())).isEqualTo(Main.EXIT_BAD_INPUT);
        Files.writeString(r.resolve("turns.csv"), "program_id,ttft_ns\n0,12\n");
        assertThatThrownBy(() -> RunData.read(r)).isInstanceOf(InputException.class)
                .hasMessageContaining("turns.csv").hasMessageContaining("expected a column tpot_ns");
        try (var files = Files.list(tmp)) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith(".asim-report-"))).isEmpty();
        }
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
