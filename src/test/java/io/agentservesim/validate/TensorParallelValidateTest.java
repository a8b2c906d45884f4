package io.agentservesim.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.cli.Main;
import io.agentservesim.error.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code validate --profile} of a TP2 run (Llama-3.1-8B on two RTX PRO 6000, LLMServingSim's bench layout)
 * prices the TP all-reduces the bundles never measure: it replays as the YAML deployment with the same
 * profile and {@code hardware.gpu} does (profile plus the roofline's all-reduce on the GPU's PCIe link), and
 * slower than the profile alone. The project holds no measured TP2 run: the run folder is the first 40
 * requests of the shipped ShareGPT workload with made-up timestamps, so no fidelity figure is checked here.
 */
class TensorParallelValidateTest {
    private static final Path D = Path.of("data/llmservingsim").toAbsolutePath();
    private static final Path MODEL = D.resolve("models/meta-llama/Llama-3.1-8B.json");
    private static final Path PROFILE = D.resolve("perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16");
    private static final String KWARGS = "\"tensor_parallel_size\": 2, \"max_num_seqs\": 128,"
            + " \"max_num_batched_tokens\": 2048";

    @TempDir
    Path tmp;

    private Path runDir(String hardware) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(D.resolve("workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz")))))) {
            for (String line; lines.size() < 40 && (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        Files.write(tmp.resolve("trace.jsonl"), lines);
        Path run = tmp.resolve("run-" + hardware);
        Files.createDirectories(run.resolve("vllm"));
        Files.writeString(run.resolve("config.json"), "{\"num_nodes\": 1, \"nodes\": [{\"num_instances\": 1,"
                + " \"instances\": [{\"model_name\": \"meta-llama/Llama-3.1-8B\", \"hardware\": \"" + hardware + "\","
                + " \"npu_mem\": {\"mem_size\": 96}, \"num_npus\": 2, \"tp_size\": 2}]}]}");
        Files.writeString(run.resolve("vllm/meta.json"), "{\"schema_version\": 1, \"vllm_version\": \"0.19.0\","
                + " \"engine_kwargs\": {" + KWARGS + "}}");
        StringBuilder requests = new StringBuilder();
        JsonMapper json = JsonMapper.builder().build();
        for (String line : lines) {
            JsonNode r = json.readTree(line);
            double queued = 1000 + r.get("arrival_time_ns").asLong() / 1e9;
            int out = r.get("output_toks").asInt();
            requests.append(String.format(Locale.ROOT, "{\"input_toks\": %d, \"output_toks\": %d, \"queued_ts\": %.6f,"
                    + " \"first_token_ts\": %.6f, \"last_token_ts\": %.6f}%n", r.get("input_toks").asInt(), out,
                    queued, queued + 0.05, queued + 0.05 + 0.01 * (out - 1)));
        }
        Files.writeString(run.resolve("vllm/requests.jsonl"), requests);
        return run;
    }

    @Test
    void aTp2RunPaysItsAllReducesAsTheYamlDeploymentWithTheGpuDoes() throws IOException {
        Path run = runDir("RTXPRO6000");
        Validator.Result r = Validator.validate(run, tmp.resolve("trace.jsonl"), PROFILE, MODEL, null);
        assertThat(r.stepTimeSource()).contains("rtx_pro_6000_server");

        Path yaml = tmp.resolve("tp2.yaml");
        Files.writeString(yaml, "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE
                + "\n  gpu: rtx_pro_6000_server\n  memory_gib: 96\nengine:\n  tensor_parallel_size: 2\n"
                + "  max_num_seqs: 128\n  max_num_batched_tokens: 2048\n"
                + "workload:\n  trace: " + tmp.resolve("trace.jsonl") + "\n");
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(Main.execute("run", yaml.toString(), "--out", tmp.resolve("out").toString())).isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode summary = JsonMapper.builder().build().readTree(Files.readString(tmp.resolve("out/summary.json")));
        double yamlTpot = summary.path("turns").path("tpot_ms").path("mean").asDouble();
        assertThat(r.byLabel().get("TPOT Mean").sim()).isEqualTo(yamlTpot, Offset.offset(1e-3));
        assertThat(r.byLabel().get("TTFT Mean").sim())
                .isEqualTo(summary.path("turns").path("ttft_ms").path("mean").asDouble(), Offset.offset(1e-3));

        // The profile alone (no all-reduce) decodes faster: each of the 32 layers pays two all-reduces.
        Path noGpu = tmp.resolve("tp2-profile-only.yaml");
        Files.writeString(noGpu, Files.readString(yaml).replace("  gpu: rtx_pro_6000_server\n", ""));
        System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            assertThat(Main.execute("run", noGpu.toString(), "--out", tmp.resolve("out2").toString())).isZero();
        } finally {
            System.setOut(old);
        }
        double profileOnlyTpot = JsonMapper.builder().build().readTree(Files.readString(tmp.resolve("out2/summary.json")))
                .path("turns").path("tpot_ms").path("mean").asDouble();
        assertThat(yamlTpot).isGreaterThan(profileOnlyTpot * 1.05);
    }

    @Test
    void anUnknownGpuIsRefusedAndAKnownOneReplacesTheProfilesHardware() throws IOException {
        Path run = runDir("MYSTERY9000");
        assertThatThrownBy(() -> Validator.validate(run, tmp.resolve("trace.jsonl"), PROFILE, MODEL, null,
                "no_such_gpu"))
                .isInstanceOf(InputException.class).hasMessageContaining("--gpu").hasMessageContaining("h100_sxm");
        // With a known --gpu the run replays.
        Validator.Result r = Validator.validate(run, tmp.resolve("trace.jsonl"), PROFILE, MODEL, null, "h100_pcie");
        assertThat(r.stepTimeSource()).contains("h100_pcie");
    }
}
