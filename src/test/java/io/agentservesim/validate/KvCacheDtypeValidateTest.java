package io.agentservesim.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `validate` takes the KV-cache dtype the run recorded (meta.json engine_kwargs.kv_cache_dtype). */
class KvCacheDtypeValidateTest {
    private static final Path RUN = Path.of("data/llmservingsim/runs/RTXPRO6000/Llama-3.1-8B");
    private static final Path WORKLOAD = Path.of("data/llmservingsim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz");
    private static final Path MODEL = Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json");

    @TempDir
    Path tmp;

    private Path runWithKv(String dtype) throws IOException {
        Path dir = tmp.resolve("run-" + dtype);
        Files.createDirectories(dir.resolve("vllm"));
        Files.createDirectories(dir.resolve("validation"));
        Files.copy(RUN.resolve("config.json"), dir.resolve("config.json"));
        Files.copy(RUN.resolve("validation/summary.txt"), dir.resolve("validation/summary.txt"));
        Files.copy(RUN.resolve("vllm/requests.jsonl"), dir.resolve("vllm/requests.jsonl"));
        String meta = Files.readString(RUN.resolve("vllm/meta.json"));
        assertThat(meta).contains("\"kv_cache_dtype\": \"auto\"");
        Files.writeString(dir.resolve("vllm/meta.json"), meta.replace("\"kv_cache_dtype\": \"auto\"",
                "\"kv_cache_dtype\": \"" + dtype + "\""));
        return dir;
    }

    @Test
    void anFp8KvRunIsReplayedWithOneByteKvAndTheAutoRunAsBefore() throws IOException {
        Validator.Result auto = Validator.validateRoofline(RUN, WORKLOAD, null, MODEL, null);
        Validator.Result fp8 = Validator.validateRoofline(runWithKv("fp8"), WORKLOAD, null, MODEL, null);
        assertThat(auto.stepTimeSource()).isEqualTo("roofline:rtx_pro_6000_server/Llama-3.1-8B/tp1");
        assertThat(fp8.stepTimeSource()).isEqualTo("roofline:rtx_pro_6000_server/Llama-3.1-8B/tp1/kv-8bit");
        assertThat(auto.meanAbsDiffPct()).isCloseTo(3.14, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void anUnknownKvDtypeIsRefusedNamingTheFile() throws IOException {
        Path dir = runWithKv("int4");
        assertThatThrownBy(() -> Validator.validateRoofline(dir, WORKLOAD, null, MODEL, null))
                .isInstanceOf(InputException.class).hasMessageContaining("meta.json")
                .hasMessageContaining("engine_kwargs.kv_cache_dtype: expected auto, fp8");
    }
}
