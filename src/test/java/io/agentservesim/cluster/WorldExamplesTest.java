package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The world examples (one per source of steps: plan-driven, space-driven, trace) run, and a world behaves as a
 * step-synchronous simulation: every call of a step arrives when the step starts, the next step starts when
 * the step's last call has returned (plus the world's own step time), and a trace's calls are issued as written.
 */
class WorldExamplesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path out;

    private static PrintStream stdout;

    @BeforeAll
    static void quiet() {
        stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void restore() {
        System.setOut(stdout);
    }

    static JsonNode run(String config, String name) throws IOException {
        Path dir = out.resolve(name);
        if (!Files.exists(dir.resolve("summary.json"))) {
            assertThat(Main.execute("run", config, "--out", dir.toString())).as(config).isZero();
        }
        return JSON.readTree(Files.readString(dir.resolve("summary.json")));
    }

    /** step -> {start, end} from steps.csv; and every turn's arrival is its step's start. */
    private static long[][] checkBarrier(String name, long overheadNs) throws IOException {
        List<String> steps = Files.readAllLines(out.resolve(name).resolve("steps.csv"));
        long[][] span = new long[steps.size() - 1][];
        for (int i = 1; i < steps.size(); i++) {
            String[] f = steps.get(i).split(",");
            span[i - 1] = new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[4])};
            if (i > 1) {
                assertThat(span[i - 1][0]).as("step %d starts after the barrier", i - 1)
                        .isEqualTo(span[i - 2][1] + overheadNs);
            }
        }
        Map<Long, Integer> arrivals = new HashMap<>();
        List<String> turns = Files.readAllLines(out.resolve(name).resolve("turns.csv"));
        for (String row : turns.subList(1, turns.size())) {
            String[] f = row.split(",");
            long arrival = Long.parseLong(f[3]);
            long end = arrival + Long.parseLong(f[8]);
            arrivals.merge(arrival, 1, Integer::sum);
            boolean inSomeStep = false;
            for (long[] s : span) {
                inSomeStep |= s[0] == arrival && end <= s[1];
            }
            assertThat(inSomeStep).as("turn %s arrives at a step start and ends by its barrier", row).isTrue();
        }
        for (long[] s : span) {
            assertThat(arrivals.getOrDefault(s[0], 0)).isEqualTo((int) s[2]);
        }
        return span;
    }

    @Test
    void planDrivenWorldRunsStepByStepAtAboutOneCallInFiveAgents() throws IOException {
        JsonNode s = run("examples/world/plan-driven.yaml", "plan");
        JsonNode w = s.path("world");
        assertThat(w.path("agents").asInt()).isEqualTo(200);
        assertThat(w.path("steps").asInt()).isEqualTo(12);
        assertThat(w.path("active_rate").asDouble()).isBetween(0.15, 0.3);
        assertThat(s.path("programs").path("count").asInt()).isEqualTo(200);
        checkBarrier("plan", 0);
    }

    @Test
    void invocationDistanceReadsDueAgentsAheadOnTheSameWorld() throws IOException {
        JsonNode id = run("examples/world/invocation-distance.yaml", "id");
        JsonNode lru = run("examples/world/plan-driven.yaml", "plan");
        // Same seed, same world: the same calls, step for step.
        assertThat(id.path("world").path("calls").asInt()).isEqualTo(lru.path("world").path("calls").asInt());
        assertThat(id.path("turns").path("prompt_tokens").asLong()).isEqualTo(lru.path("turns").path("prompt_tokens").asLong());
        checkBarrier("id", 0);
        // Only the plan-aware policy reads ahead, and what it reads is counted in the restored bytes.
        long prefetched = id.path("world").path("prefetched_bytes").asLong();
        assertThat(prefetched).isPositive();
        assertThat(lru.path("world").path("prefetched_bytes").asLong()).isZero();
        assertThat(id.path("kv").path("restored_bytes").asLong()).isGreaterThanOrEqualTo(prefetched);
    }

    @Test
    void priorityEvictionAloneKeepsDueAgentsOnTheGpu(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("priority-only.yaml");
        Files.writeString(yaml, Files.readString(Path.of("examples/world/invocation-distance.yaml"))
                .replace("../../data/", Path.of("data").toAbsolutePath() + "/")
                .replace("load_ahead_step: 2}", "load_ahead_step: 2, prefetch: false}"));
        JsonNode priority = run(yaml.toString(), "priority-only");
        JsonNode lru = run("examples/world/plan-driven.yaml", "plan");
        // The same calls hit the same KV (all of it is on the GPU or the host under both), but under priority
        // eviction less of it has to come back over the host link: agents due soon lost less of their KV.
        assertThat(priority.path("prefix_cache").path("hit_tokens").asLong())
                .isEqualTo(lru.path("prefix_cache").path("hit_tokens").asLong());
        assertThat(priority.path("world").path("prefetched_bytes").asLong()).isZero();
        assertThat(priority.path("kv").path("restored_bytes").asLong())
                .isLessThan(lru.path("kv").path("restored_bytes").asLong() * 3 / 4);
    }

    @Test
    void spaceDrivenWorldRunsStepByStep() throws IOException {
        JsonNode s = run("examples/world/space-driven.yaml", "space");
        assertThat(s.path("world").path("steps").asInt()).isEqualTo(12);
        assertThat(s.path("world").path("active_rate").asDouble()).isBetween(0.1, 0.4);
        checkBarrier("space", 0);
    }

    @Test
    void aTracedWorldIssuesItsCallsAsWritten() throws IOException {
        JsonNode s = run("examples/world/trace.yaml", "trace");
        assertThat(s.path("world").path("steps").asInt()).isEqualTo(6);
        assertThat(s.path("world").path("calls").asInt()).isEqualTo(12);
        long[][] span = checkBarrier("trace", 0);
        assertThat(span).hasNumberOfRows(6);
        List<String> turns = Files.readAllLines(out.resolve("trace").resolve("turns.csv"));
        // Step 2 of trace.jsonl: agent 2 (1270 + 110 tokens) and agent 3 (its second call, 1400 + 95).
        assertThat(turns).anyMatch(r -> r.startsWith("2,0,0," + span[2][0] + ",1270,110,"));
        assertThat(turns).anyMatch(r -> r.startsWith("3,1,0," + span[2][0] + ",1400,95,"));
        // Agent 3's second prompt reuses the shared prefix and persona of its first (its first observation is not
        // kept, so the first output sits elsewhere now); its third also reuses the first output (whole blocks).
        String second = turns.stream().filter(r -> r.startsWith("3,1,")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(second.split(",")[10])).isEqualTo(256 + 800);
        String third = turns.stream().filter(r -> r.startsWith("3,2,")).findFirst().orElseThrow();
        assertThat(Integer.parseInt(third.split(",")[10])).isEqualTo((256 + 800 + 120) / 16 * 16);
    }

    @Test
    void theWorldsOwnStepTimeSeparatesTheSteps(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("slow-world.yaml");
        String base = Files.readString(Path.of("examples/world/trace.yaml"))
                .replace("../../data/", Path.of("data").toAbsolutePath() + "/")
                .replace("trace: trace.jsonl", "trace: " + Path.of("examples/world/trace.jsonl").toAbsolutePath()
                        + "\n  step_overhead_s: 0.5");
        Files.writeString(yaml, base);
        run(yaml.toString(), "slow");
        checkBarrier("slow", 500_000_000L);
    }
}
