package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RunCommandTest {
    @TempDir
    Path tmp;

    @Test
    void theReadyExampleWritesRequestsSummaryAndPrintsTheTable() throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", "examples/rtx4090-llama8b-sharegpt.yaml", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("TTFT", "TPOT", "E2E", "p99", "prefix-hit tokens", "preemptions");
        assertThat(Files.readAllLines(out.resolve("requests.csv"))).hasSize(301)
                .first().asString().startsWith("instance id,request id,model,input,output,arrival,end_time,latency,"
                        + "queuing_delay,TTFT,TPOT,ITL");
        JsonNode summary = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
        // A flat request is a one-turn program; vllm bench serve's keys read the same numbers.
        assertThat(summary.path("turns").path("count").asInt()).isEqualTo(300);
        assertThat(summary.path("programs").path("count").asInt()).isEqualTo(300);
        assertThat(summary.path("completed").asInt()).isEqualTo(300);
        // The KV cache of the real RTX 4090 engine saturates: requests are preempted and recomputed.
        assertThat(summary.path("turns").path("preemptions").asLong()).isPositive();
        assertThat(summary.path("turns").path("ttft_ms").path("mean").asDouble()).isBetween(60_000.0, 72_000.0);
        assertThat(summary.path("mean_ttft_ms").asDouble()).isEqualTo(summary.path("turns").path("ttft_ms").path("mean").asDouble());
        assertThat(summary.path("mean_tpot_ms").asDouble()).isBetween(30.0, 35.0);
    }

    @Test
    void theSameConfigAndSeedGiveByteIdenticalOutputs() throws IOException {
        for (String example : new String[] {"examples/rtx4090-llama8b-sharegpt.yaml", "examples/synthetic-rtxpro6000.yaml"}) {
            Path a = tmp.resolve("a");
            Path b = tmp.resolve("b");
            assertThat(CliRunner.run("run", example, "--out", a.toString()).exitCode()).isZero();
            assertThat(CliRunner.run("run", example, "--out", b.toString()).exitCode()).isZero();
            for (String f : new String[] {"requests.csv", "summary.json"}) {
                assertThat(Files.readAllBytes(a.resolve(f))).as(example + " " + f).isEqualTo(Files.readAllBytes(b.resolve(f)));
            }
        }
    }

    @Test
    void anLlmServingSimClusterConfigRunsWithAWorkload() throws IOException {
        Path out = tmp.resolve("lss");
        CliRunner.Result r = CliRunner.run("run", "data/llmservingsim/runs/RTXPRO6000/Llama-3.1-8B/config.json",
                "--workload", "data/llmservingsim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--data", "data", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(Files.readAllLines(out.resolve("requests.csv"))).hasSize(301);
    }
}
