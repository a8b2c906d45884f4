package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EstimateCommandTest {
    private static final String MODEL = "data/llmservingsim/models/meta-llama/Llama-3.1-8B.json";

    @TempDir
    Path tmp;

    @Test
    void printsAndWritesTheThreeKeys() throws IOException {
        Path json = tmp.resolve("e.json");
        CliRunner.Result r = CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--tp", "1",
                "--isl", "256", "--osl", "32", "--concurrency", "2", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("TTFT mean", "TPOT mean", "output tokens/s");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.get("ttft_ms").asDouble()).isPositive();
        assertThat(root.get("tpot_ms").asDouble()).isPositive();
        assertThat(root.get("output_tok_s").asDouble()).isPositive();
    }

    @Test
    void unknownGpuListsValidIdsAndExitsTwo() {
        CliRunner.Result r = CliRunner.run("estimate", "--gpu", "tpu_v5", "--model", MODEL,
                "--isl", "256", "--osl", "32", "--concurrency", "2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        assertThat(r.err()).contains("unknown GPU \"tpu_v5\"", "h100_sxm", "rtx_pro_6000_server");
    }

    @Test
    void tpThatDoesNotDivideTheHeadsExitsTwo() {
        CliRunner.Result r = CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--tp", "3",
                "--isl", "256", "--osl", "32", "--concurrency", "2");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("does not divide");
    }
}
