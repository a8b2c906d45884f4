package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** examples/quantized/*.yaml through the CLI. */
class QuantizedExamplesTest {
    @TempDir
    Path tmp;

    private static synchronized JsonNode run(Path out, String... args) throws IOException {
        java.io.PrintStream old = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            String[] all = new String[args.length + 3];
            all[0] = "run";
            System.arraycopy(args, 0, all, 1, args.length);
            all[args.length + 1] = "--out";
            all[args.length + 2] = out.toString();
            assertThat(Main.execute(all)).isZero();
        } finally {
            System.setOut(old);
        }
        return JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
    }

    /**
     * FP8 Llama-3.1-70B on 4 H100: its decode steps read half the linear weights of the bf16 model (the
     * weight read is most of a small decode step), so TPOT is well under 0.6 of bf16's on the same workload.
     */
    @Test
    void fp8Llama70bOnH100Tp4DecodesFasterThanBf16() throws IOException {
        String example = "examples/quantized/llama70b-fp8-h100-tp4.yaml";
        JsonNode fp8 = run(tmp.resolve("fp8"), example);
        JsonNode bf16 = run(tmp.resolve("bf16"), example,
                "--set", "model=../../data/llmservingsim/models/meta-llama/Llama-3.1-70B.json");
        assertThat(fp8.path("completed").asInt()).isEqualTo(200);
        assertThat(fp8.path("engine").path("step_time_source").asString())
                .isEqualTo("roofline:h100_sxm/Llama-3.1-70B-Instruct-FP8/tp4/fp8");
        assertThat(fp8.path("total_output_tokens").asLong()).isEqualTo(bf16.path("total_output_tokens").asLong());
        assertThat(fp8.path("mean_tpot_ms").asDouble() / bf16.path("mean_tpot_ms").asDouble()).isBetween(0.45, 0.6);
        assertThat(fp8.path("mean_ttft_ms").asDouble()).isLessThan(bf16.path("mean_ttft_ms").asDouble());
    }

    @Test
    void nvfp4OnB200WithFp8KvCacheRuns() throws IOException {
        JsonNode fp4 = run(tmp.resolve("fp4"), "examples/quantized/llama70b-nvfp4-b200-kvfp8.yaml");
        assertThat(fp4.path("completed").asInt()).isEqualTo(200);
        assertThat(fp4.path("engine").path("step_time_source").asString())
                .isEqualTo("roofline:b200_sxm/Llama-3.1-70B-Instruct-NVFP4/tp1/nvfp4/kv-8bit");
    }
}
