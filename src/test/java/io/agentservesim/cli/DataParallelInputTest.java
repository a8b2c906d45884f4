package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * parallel.data_parallel_size and enable_expert_parallel from YAML: what runs (an MoE model's ranks in
 * lockstep, a dense model's independently) and what is refused with one line naming the field, exit 2.
 */
class DataParallelInputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String QWEN = REPO.resolve("data/llmservingsim/models/Qwen/Qwen3-30B-A3B-Instruct-2507.json").toString();
    private static final String QWEN_PROFILE = REPO.resolve(
            "data/llmservingsim/perf/RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16").toString();
    private static final String LLAMA = REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json").toString();
    private static final String LLAMA_PROFILE = REPO.resolve(
            "data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16").toString();
    private static final String WORKLOAD = "workload:\n  synthetic:\n    num_requests: 40\n    rate_per_sec: 8\n"
            + "    input: {type: fixed, tokens: 600}\n    output: {type: fixed, tokens: 40}\n";

    @TempDir
    Path tmp;

    private Path config(String model, String profile, String gpuLine, String engine, String parallel) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + model + "\nhardware:\n  profile: " + profile + "\n  memory_gib: 89.4\n"
                + gpuLine + "engine:\n  max_num_seqs: 64\n" + engine + "parallel:\n" + parallel + WORKLOAD);
        return f;
    }

    private JsonNode run(Path config) throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", config.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
    }

    private void fail(Path config, String... mustContain) {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", config.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains("sim.yaml").contains(mustContain);
        assertThat(out).doesNotExist();
    }

    @Test
    void anMoeModelsRanksStepTogetherADenseModelsIndependently() throws IOException {
        JsonNode moe = run(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "",
                "  data_parallel_size: 2\n  enable_expert_parallel: true\n"));
        assertThat(moe.path("turns").path("count").asInt()).isEqualTo(40);
        assertThat(moe.path("engine").path("step_time_source").asString()).startsWith("dp2/ep2(");
        assertThat(moe.path("engine").path("steps").asLong() % 2).isZero();   // both ranks take every step
        JsonNode noEp = run(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "",
                "  data_parallel_size: 2\n  enable_expert_parallel: false\n"));
        assertThat(noEp.path("engine").path("step_time_source").asString()).startsWith("dp2/moe-tp2(");
        JsonNode dense = run(config(LLAMA, LLAMA_PROFILE, "", "", "  data_parallel_size: 2\n"));
        assertThat(dense.path("engine").path("step_time_source").asString()).startsWith("dp2 independent ranks: profile:");
        assertThat(dense.path("energy").path("instances").asInt()).isEqualTo(2);
    }

    @Test
    void impossibleDataParallelSettingsNameTheirField() throws IOException {
        fail(config(QWEN, QWEN_PROFILE, "", "", "  data_parallel_size: 2\n  enable_expert_parallel: true\n"),
                "hardware.gpu", "exchange tokens");
        fail(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "", "  data_parallel_size: 0\n"),
                "parallel.data_parallel_size", ">= 1");
        fail(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "  expert_parallel_size: 4\n",
                "  data_parallel_size: 2\n  enable_expert_parallel: true\n"), "engine.expert_parallel_size", "2 GPUs");
        fail(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "  pipeline_parallel_size: 2\n",
                "  data_parallel_size: 2\n"), "parallel.data_parallel_size", "pipeline");
        fail(config(QWEN, QWEN_PROFILE, "  gpu: rtx_pro_6000_server\n", "",
                "  data_parallel_size: 3\n  enable_expert_parallel: true\n"), "parallel", "128 experts");
    }
}
