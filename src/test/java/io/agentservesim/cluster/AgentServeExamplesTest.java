package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The four examples of examples/agentserve (AgentServe and its vLLM, SGLang and llama.cpp baselines on one RTX
 * A5000, 6 closed-loop ReAct agents): each serves the same 30 tasks; what each engine's steps hold follows its
 * policy; the closed loop keeps 6 tasks live.
 */
class AgentServeExamplesTest {
    private static final String[] NAMES = {"agentserve", "vllm", "sglang", "llama-cpp"};

    @TempDir
    static Path tmp;

    private static final Map<String, JsonNode> SUMMARY = new HashMap<>();

    @BeforeAll
    static void runAll() throws IOException {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (String n : NAMES) {
                Path out = tmp.resolve(n);
                int code = Main.execute("run", "examples/agentserve/" + n + ".yaml", "--out", out.toString());
                assertThat(code).as(n + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
                SUMMARY.put(n, JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json"))));
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void everyEngineServesTheSameTasks() {
        for (String n : NAMES) {
            JsonNode s = SUMMARY.get(n);
            assertThat(s.path("programs").path("count").asInt()).as(n).isEqualTo(30);
            assertThat(s.path("turns").path("count").asInt()).as(n).isEqualTo(SUMMARY.get("vllm").path("turns").path("count").asInt());
            JsonNode turns = s.path("work").path("turns");
            // Each task's first turn is cold (nothing of a fresh system prompt is cached); every later turn resumes.
            assertThat(turns.path("cold").path("count").asInt()).as(n).isEqualTo(30);
        }
    }

    @Test
    void eachEnginesStepsHoldWhatItsPolicyAllows() {
        JsonNode sglang = SUMMARY.get("sglang").path("work");
        assertThat(sglang.path("steps").path("mixed").asLong()).isZero();          // prefill or decode, never both
        assertThat(sglang.path("streams").path("decode_mean_sm_share").asDouble()).isEqualTo(1.0);
        JsonNode vllm = SUMMARY.get("vllm").path("work");
        assertThat(vllm.path("steps").path("mixed").asLong()).isPositive();
        assertThat(vllm.has("streams")).isFalse();
        JsonNode as = SUMMARY.get("agentserve").path("work");
        // Resume chunks ride with decodes (mixed steps); cold prefills run beside them on their own SMs, so the
        // decode stream's mean share is below the whole GPU.
        assertThat(as.path("steps").path("mixed").asLong()).isPositive();
        assertThat(as.path("streams").path("decode_mean_sm_share").asDouble()).isLessThan(1.0).isGreaterThanOrEqualTo(0.1);
        assertThat(as.path("streams").path("controller_raises").asLong()
                + as.path("streams").path("controller_lowers").asLong()).isPositive();
    }

    @Test
    void theClosedLoopKeepsSixTasksLive() throws IOException {
        List<String> rows = Files.readAllLines(tmp.resolve("vllm").resolve("programs.csv"));
        List<long[]> spans = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] c = row.split(",");
            spans.add(new long[] {Long.parseLong(c[2]), Long.parseLong(c[3])});
        }
        assertThat(spans).hasSize(30);
        int atZero = 0;
        for (long[] s : spans) {
            atZero += s[0] == 0 ? 1 : 0;
            int live = 0;
            for (long[] o : spans) {
                live += o[0] <= s[0] && s[0] < o[1] ? 1 : 0;
            }
            assertThat(live).isLessThanOrEqualTo(6);
            if (s[0] > 0) {
                // A later task starts the moment another one ends.
                assertThat(spans.stream().anyMatch(o -> o[1] == s[0])).isTrue();
            }
        }
        assertThat(atZero).isEqualTo(6);
    }
}
