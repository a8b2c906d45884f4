package io.agentservesim.perf.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** examples/parallel/llama8b-rtxpro6000-tp{1,2}.yaml through the CLI: TP2 answers faster than TP1. */
class ParallelExamplesTest {
    @TempDir
    Path tmp;

    private static synchronized JsonNode run(String example, Path out) throws IOException {
        java.io.PrintStream old = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(Main.execute("run", example, "--out", out.toString())).isZero();
        } finally {
            System.setOut(old);
        }
        return JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
    }

    /**
     * Over PCIe, TP2 halves each GPU's weight reads, so decode steps (TPOT) get much faster, but the two
     * all-reduces per layer of a large prefill step move megabytes over the link, so TTFT gains
     * proportionally less than TPOT. Priced with vLLM's measured all-reduce on two RTX PRO 6000
     * (AIConfigurator: 55 µs for a 256 KiB decode all-reduce, 64 per step, about what halving the weight
     * reads saves), TP2 decodes only about 10 % faster than TP1 there.
     */
    @Test
    void tp2OverPcieSpeedsUpDecodeMoreThanPrefill() throws IOException {
        JsonNode tp1 = run("examples/parallel/llama8b-rtxpro6000-tp1.yaml", tmp.resolve("tp1"));
        JsonNode tp2 = run("examples/parallel/llama8b-rtxpro6000-tp2.yaml", tmp.resolve("tp2"));
        assertThat(tp2.path("total_output_tokens").asLong()).isEqualTo(tp1.path("total_output_tokens").asLong());
        double tpot = tp2.path("mean_tpot_ms").asDouble() / tp1.path("mean_tpot_ms").asDouble();
        double ttft = tp2.path("mean_ttft_ms").asDouble() / tp1.path("mean_ttft_ms").asDouble();
        assertThat(tpot).isLessThan(0.95);
        assertThat(ttft).isGreaterThan(tpot + 0.1);
        assertThat(tp2.path("engine").path("step_time_source").asString()).contains("tp2", "all_reduce");
    }

    @Test
    void skewedExpertRoutingUnderEp2IsSlowerThanBalanced() throws IOException {
        JsonNode balanced = run("examples/parallel/qwen3-30b-a3b-ep2-balanced.yaml", tmp.resolve("bal"));
        JsonNode zipf = run("examples/parallel/qwen3-30b-a3b-ep2-zipf.yaml", tmp.resolve("zipf"));
        assertThat(zipf.path("mean_tpot_ms").asDouble()).isGreaterThan(balanced.path("mean_tpot_ms").asDouble());
        assertThat(zipf.path("mean_ttft_ms").asDouble()).isGreaterThan(balanced.path("mean_ttft_ms").asDouble());
        assertThat(zipf.path("engine").path("step_time_source").asString()).contains("ep2/zipf", "all_to_all");
    }

    /**
     * Two data-parallel ranks with expert parallelism on the same two GPUs as one TP2 x EP2 engine: each
     * rank's attention and dense layers run on its own half of the requests at TP1 (no all-reduce), and only
     * the MoE layers exchange tokens, so at 4 req/s both TTFT and TPOT are lower. The front end spreads the
     * requests over both ranks; every step is taken by both.
     */
    @Test
    void dp2Ep2ServesTheWorkloadFasterThanOneTp2Ep2EngineOnTheSameGpus() throws IOException {
        JsonNode dp = run("examples/parallel/qwen3-30b-a3b-dp2-ep2.yaml", tmp.resolve("dp"));
        JsonNode tp = run("examples/parallel/qwen3-30b-a3b-ep2-balanced.yaml", tmp.resolve("tp"));
        assertThat(dp.path("turns").path("count").asInt()).isEqualTo(300);
        assertThat(dp.path("turns").path("output_tokens").asLong()).isEqualTo(tp.path("turns").path("output_tokens").asLong());
        assertThat(dp.path("turns").path("ttft_ms").path("mean").asDouble()).isLessThan(0.7 * tp.path("turns").path("ttft_ms").path("mean").asDouble());
        assertThat(dp.path("turns").path("tpot_ms").path("mean").asDouble()).isLessThan(0.8 * tp.path("turns").path("tpot_ms").path("mean").asDouble());
        assertThat(dp.path("engine").path("step_time_source").asString()).startsWith("dp2/ep2(").contains("all_gather");
        assertThat(dp.path("engine").path("steps").asLong() % 2).isZero();
        java.util.List<String> rows = Files.readAllLines(tmp.resolve("dp/requests.csv"));
        long rank1 = rows.stream().skip(1).filter(l -> l.startsWith("1,")).count();
        assertThat(rank1).isBetween(120L, 180L);
        assertThat(dp.path("energy").path("instances").asInt()).isEqualTo(2);
    }

    /**
     * Agents on DP ranks: the router sees every rank. Affinity routing keeps each program on the rank that
     * holds its KV; vLLM's front-end rule (load) ignores where the KV is and recomputes whole contexts.
     */
    @Test
    void affinityRoutingAcrossDpRanksAvoidsRecomputingAgentContexts() throws IOException {
        Path example = Path.of("examples/parallel/qwen3-30b-a3b-dp2-ep2-agents.yaml");
        String data = Path.of("data").toAbsolutePath().toString();
        Path load = tmp.resolve("load.yaml");
        Files.writeString(load, Files.readString(example).replace("../../data", data)
                .replace("router: affinity", "router: load"));
        JsonNode affinity = run(example.toString(), tmp.resolve("affinity"));
        JsonNode byLoad = run(load.toString(), tmp.resolve("load"));
        assertThat(affinity.path("router").path("affinity_breaks").asLong()).isZero();
        assertThat(byLoad.path("router").path("affinity_breaks").asLong()).isGreaterThan(100);
        assertThat(affinity.path("kv").path("recomputed_tokens").asLong())
                .isLessThan(byLoad.path("kv").path("recomputed_tokens").asLong() / 10);
        assertThat(affinity.path("turns").path("ttft_ms").path("mean").asDouble())
                .isLessThan(0.8 * byLoad.path("turns").path("ttft_ms").path("mean").asDouble());
        java.util.List<String> turns = Files.readAllLines(tmp.resolve("affinity/turns.csv"));
        assertThat(turns.stream().skip(1).map(l -> l.split(",")[2]).distinct()).containsExactlyInAnyOrder("0", "1");
    }
}
