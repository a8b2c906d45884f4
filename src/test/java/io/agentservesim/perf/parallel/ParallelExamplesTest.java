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
     * proportionally less than TPOT.
     */
    @Test
    void tp2OverPcieSpeedsUpDecodeMoreThanPrefill() throws IOException {
        JsonNode tp1 = run("examples/parallel/llama8b-rtxpro6000-tp1.yaml", tmp.resolve("tp1"));
        JsonNode tp2 = run("examples/parallel/llama8b-rtxpro6000-tp2.yaml", tmp.resolve("tp2"));
        assertThat(tp2.path("total_output_tokens").asLong()).isEqualTo(tp1.path("total_output_tokens").asLong());
        double tpot = tp2.path("mean_tpot_ms").asDouble() / tp1.path("mean_tpot_ms").asDouble();
        double ttft = tp2.path("mean_ttft_ms").asDouble() / tp1.path("mean_ttft_ms").asDouble();
        assertThat(tpot).isLessThan(0.7);
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
}
