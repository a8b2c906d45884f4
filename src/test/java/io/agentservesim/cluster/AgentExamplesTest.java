package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each example in examples/agents runs and shows the outcome it exists to show. */
class AgentExamplesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path out;

    private static JsonNode run(String name) throws IOException {
        Path dir = out.resolve(name);
        if (!Files.exists(dir.resolve("summary.json"))) {
            int code = Main.execute("run", "examples/agents/" + name + ".yaml", "--out", dir.toString());
            assertThat(code).as(name).isZero();
        }
        return JSON.readTree(Files.readString(dir.resolve("summary.json")));
    }

    private static double jctMean(JsonNode s) {
        return s.path("programs").path("jct_s").path("mean").asDouble();
    }

    private static long recomputed(JsonNode s) {
        return s.path("kv").path("recomputed_tokens").asLong();
    }

    private static double hitRate(JsonNode s) {
        return s.path("prefix_cache").path("hit_rate").asDouble();
    }

    private static java.io.PrintStream stdout;

    @BeforeAll
    static void quiet() {
        stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    }

    @org.junit.jupiter.api.AfterAll
    static void restore() {
        System.setOut(stdout);
    }

    @Test
    void underMemoryPressureContinuumBeatsStockLruWhichBeatsEvictAlways() throws IOException {
        JsonNode lru = run("swe-stock-lru");
        JsonNode continuum = run("swe-continuum");
        JsonNode evict = run("swe-evict-always");
        for (JsonNode s : List.of(lru, continuum, evict)) {
            assertThat(s.path("programs").path("count").asInt()).isEqualTo(50);
        }
        assertThat(jctMean(continuum)).isLessThan(0.8 * jctMean(lru));
        assertThat(jctMean(evict)).isGreaterThan(jctMean(lru));
        // Recomputed tokens explain the order: pins keep contexts, eviction throws every one away.
        assertThat(recomputed(continuum)).isLessThan(recomputed(lru));
        assertThat(recomputed(lru)).isLessThan(recomputed(evict));
        assertThat(hitRate(evict)).isZero();
        assertThat(continuum.path("kv").path("pins_used").asLong()).isPositive();
    }

    @Test
    void theGatePolicysDecisionsShowInItsCountersAndItBeatsStock() throws IOException {
        JsonNode lru = run("swe-stock-lru");
        JsonNode gate = run("swe-gate");
        JsonNode d = gate.path("decisions");
        // Every turn that calls a tool is pinned or left to the LRU; each pin ends exactly one way.
        long pins = d.path("pins_granted").asLong();
        assertThat(pins + d.path("releases").asLong()).isEqualTo(gate.path("turns").path("count").asLong());
        assertThat(d.path("pins_kept").asLong() + d.path("pins_broken").asLong() + d.path("pins_expired").asLong())
                .isEqualTo(pins);
        assertThat(d.path("admits_held").asLong()).isPositive();
        assertThat(d.path("victims").asLong()).isEqualTo(gate.path("turns").path("preemptions").asLong());
        // Stock vLLM pins nothing: every turn end is a release.
        assertThat(lru.path("decisions").path("releases").asLong()).isEqualTo(lru.path("turns").path("count").asLong());
        assertThat(jctMean(gate)).isLessThan(0.6 * jctMean(lru));
    }

    @Test
    void affinityKeepsTheSingleInstanceHitRateRoundRobinLosesIt() throws IOException {
        JsonNode single = run("route-single-instance");
        JsonNode affinity = run("route-affinity");
        JsonNode rr = run("route-round-robin");
        assertThat(affinity.path("programs").path("count").asInt()).isGreaterThanOrEqualTo(50);
        assertThat(Math.abs(hitRate(affinity) - hitRate(single))).isLessThan(0.03);
        assertThat(hitRate(rr)).isLessThan(hitRate(single) - 0.3);
        assertThat(affinity.path("router").path("affinity_breaks").asLong()).isZero();
        assertThat(rr.path("router").path("affinity_breaks").asLong()).isPositive();
    }

    @Test
    void aHostTierIsUsedCutsRecomputationAndItsRestoresShowInTtft() throws IOException {
        JsonNode tier = run("swe-tier-offload");
        JsonNode evict = run("swe-evict-always");
        assertThat(tier.path("kv").path("offloaded_bytes").asLong()).isPositive();
        assertThat(tier.path("kv").path("restored_bytes").asLong()).isPositive();
        assertThat(recomputed(tier)).isLessThan(recomputed(evict) / 10);
        // A turn that waited for its KV over the 25 GB/s host link has a TTFT of at least that transfer.
        List<String> rows = Files.readAllLines(out.resolve("swe-tier-offload").resolve("turns.csv"));
        int restoredTurns = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            long restoredBytes = Long.parseLong(f[12]);
            if (restoredBytes > 0) {
                restoredTurns++;
                long ttft = Long.parseLong(f[6]);
                assertThat(ttft).isGreaterThanOrEqualTo(restoredBytes / 25);
            }
        }
        assertThat(restoredTurns).isPositive();
    }

    @Test
    void plasLowersTheMeanJctOfShortPrograms() throws IOException {
        run("plas");
        run("fcfs");
        double plasShort = meanJct("plas", "bfcl");
        double fcfsShort = meanJct("fcfs", "bfcl");
        assertThat(plasShort).isLessThan(0.8 * fcfsShort);
    }

    private static double meanJct(String example, String prefix) throws IOException {
        List<String> rows = Files.readAllLines(out.resolve(example).resolve("programs.csv"));
        double sum = 0;
        int n = 0;
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            if (f[1].startsWith("\"" + prefix)) {
                sum += Long.parseLong(f[4]) / 1e9;
                n++;
            }
        }
        assertThat(n).as(prefix + " programs in " + example).isPositive();
        return sum / n;
    }
}
