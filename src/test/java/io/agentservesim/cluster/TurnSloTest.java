package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Per-turn ITL percentiles and SLO attainment through a whole run: turns.csv's itl_p50/p95 and within_slo
 * per turn, summary.json's shares counted from the same turns, and a bad target refused naming its field.
 */
class TurnSloTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private int run(String slo, Path out, ByteArrayOutputStream err) throws IOException {
        Path trace = tmp.resolve("s.jsonl");
        // Two programs of two turns; 40 output tokens each so that a turn has 39 gaps.
        Files.writeString(trace, "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 300, \"output_toks\": 40, \"tool_duration_ns\": 1000000000},"
                + "{\"input_toks\": 400, \"output_toks\": 40, \"tool_duration_ns\": 0}]}\n"
                + "{\"session_id\": \"b\", \"arrival_time_ns\": 5000000, \"sub_requests\": ["
                + "{\"input_toks\": 3000, \"output_toks\": 40, \"tool_duration_ns\": 0}]}\n");
        Path f = tmp.resolve("agents.yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16") + "\n"
                + "engine:\n  num_gpu_blocks: 2000\nprograms:\n  trace: " + trace + "\n" + slo);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.execute("run", f.toString(), "--out", out.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void attainmentCountsTheTurnsAndProgramsWithinTheirTargets() throws IOException {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // TTFT 100 ms: the short-prompt turns make it, program b's 3,000-token prefill alone does not
        // decide it either way, so read the per-turn rows; TPOT 1 ms: no decode on this GPU is that fast.
        int code = run("slo:\n  ttft_ms: 100\n  tpot_ms: 1\n  jct_s: 1000\n", out, err);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> rows = Files.readAllLines(out.resolve("turns.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int ttftCol = header.indexOf("ttft_ns");
        int tpotCol = header.indexOf("tpot_ns");
        int p50Col = header.indexOf("itl_p50_ns");
        int p95Col = header.indexOf("itl_p95_ns");
        int sloCol = header.indexOf("within_slo");
        assertThat(rows).hasSize(4);
        int withinTtft = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",", -1);
            long tpot = Long.parseLong(c[tpotCol]);
            long p50 = Long.parseLong(c[p50Col]);
            long p95 = Long.parseLong(c[p95Col]);
            // A turn's decode steps differ only by their KV length and batch mates: its median gap is near its
            // mean (the TPOT), and the 95th percentile is at least the median.
            assertThat((double) p50).isCloseTo(tpot, within(0.25 * tpot));
            assertThat(p95).isGreaterThanOrEqualTo(p50);
            assertThat(c[sloCol]).isEqualTo("0"); // every turn misses the 1 ms TPOT target
            withinTtft += Long.parseLong(c[ttftCol]) <= 100_000_000L ? 1 : 0;
        }
        JsonNode slo = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json"))).path("slo");
        assertThat(slo.path("ttft_ms").asDouble()).isEqualTo(100.0);
        assertThat(slo.path("turns_within_ttft").asDouble()).isCloseTo(withinTtft / 3.0, within(1e-4));
        assertThat(slo.path("turns_within_tpot").asDouble()).isZero();
        assertThat(slo.path("turns_within_slo").asDouble()).isZero();
        assertThat(slo.path("programs_within_jct").asDouble()).isEqualTo(1.0);
    }

    @Test
    void withoutTargetsTheSharesAreNullAndWithinSloIsEmpty() throws IOException {
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run("", out, err)).isZero();
        List<String> rows = Files.readAllLines(out.resolve("turns.csv"));
        int sloCol = List.of(rows.get(0).split(",")).indexOf("within_slo");
        assertThat(rows.get(1).split(",", -1)[sloCol]).isEmpty();
        JsonNode s = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(s.path("slo").path("turns_within_slo").isNull()).isTrue();
        assertThat(s.path("turns").path("itl_p50_ms").path("count").asInt()).isEqualTo(3);
    }

    @Test
    void aTargetThatIsNotPositiveIsRefusedNamingTheField() throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run("slo:\n  tpot_ms: -5\n", tmp.resolve("out"), err)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).strip()).contains("slo.tpot_ms").contains("> 0").hasLineCount(1);
    }
}
