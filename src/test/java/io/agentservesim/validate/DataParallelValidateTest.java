package io.agentservesim.validate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code validate} on a data-parallel run in LLMServingSim's bench layout: Qwen3-30B-A3B with
 * {@code data_parallel_size 2} and {@code enable_expert_parallel} on two RTX PRO 6000 (the cluster config of
 * LLMServingSim's {@code single_node_moe_dp_ep_instance.json}: two instances in one {@code dp_group},
 * {@code ep_size} 2). The project holds no measured DP run, so the run folder here is built from the first 60
 * requests of the shipped ShareGPT workload with made-up timestamps: the test checks that the run is read and
 * replayed as the deployment it describes, not any fidelity figure.
 */
class DataParallelValidateTest {
    private static final Path D = Path.of("data/llmservingsim").toAbsolutePath();
    private static final Path MODEL = D.resolve("models/Qwen/Qwen3-30B-A3B-Instruct-2507.json");
    private static final Path PROFILE = D.resolve("perf/RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16");
    private static final String INSTANCE = """
            {"model_name": "Qwen/Qwen3-30B-A3B-Instruct-2507", "hardware": "RTXPRO6000",
             "npu_mem": {"mem_size": 96, "mem_bw": 1597, "mem_latency": 0},
             "num_npus": 1, "tp_size": 1, "ep_size": 2, "dp_group": "A", "pd_type": null}""";

    @TempDir
    Path tmp;

    /** The first {@code n} requests of the shipped workload, and a run folder whose requests took 0.2 s + 30 ms per token. */
    private Path runDir(int n, String engineKwargs) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(D.resolve("workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz")))))) {
            for (String line; lines.size() < n && (line = in.readLine()) != null; ) {
                lines.add(line);
            }
        }
        Files.write(tmp.resolve("trace.jsonl"), lines);
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve("vllm"));
        Files.writeString(run.resolve("config.json"), "{\"num_nodes\": 1, \"link_bw\": 16, \"link_latency\": 20000,"
                + " \"nodes\": [{\"num_instances\": 2, \"instances\": [" + INSTANCE + ", " + INSTANCE + "]}]}");
        Files.writeString(run.resolve("vllm/meta.json"), "{\"schema_version\": 1, \"vllm_version\": \"0.19.0\","
                + " \"engine_kwargs\": {" + engineKwargs + "}}");
        StringBuilder requests = new StringBuilder();
        JsonMapper json = JsonMapper.builder().build();
        for (String line : lines) {
            JsonNode r = json.readTree(line);
            double queued = 1000 + r.get("arrival_time_ns").asLong() / 1e9;
            int out = r.get("output_toks").asInt();
            requests.append(String.format(Locale.ROOT, "{\"input_toks\": %d, \"output_toks\": %d, \"queued_ts\": %.6f,"
                    + " \"first_token_ts\": %.6f, \"last_token_ts\": %.6f}%n", r.get("input_toks").asInt(), out,
                    queued, queued + 0.2, queued + 0.2 + 0.03 * (out - 1)));
        }
        Files.writeString(run.resolve("vllm/requests.jsonl"), requests);
        return run;
    }

    @Test
    void aDataParallelRunReplaysOnTwoLockstepRanksAsTheSameYamlDeploymentDoes() throws IOException {
        Path run = runDir(60, "\"tensor_parallel_size\": 1, \"data_parallel_size\": 2,"
                + " \"enable_expert_parallel\": true, \"max_num_seqs\": 128, \"max_num_batched_tokens\": 2048");
        Path csv = tmp.resolve("sim.csv");
        Validator.Result r = Validator.validate(run, tmp.resolve("trace.jsonl"), PROFILE, MODEL, csv);
        assertThat(r.rows()).hasSize(15);
        assertThat(r.stepTimeSource()).startsWith("dp2/ep2(profile:RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/tp1");
        // The front end spread the requests over both ranks (instance id = rank).
        long onRank1 = Files.readAllLines(csv).stream().skip(1).filter(l -> l.startsWith("1,")).count();
        assertThat(onRank1).isBetween(20L, 40L);

        Path yaml = tmp.resolve("dp.yaml");
        Files.writeString(yaml, "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE
                + "\n  gpu: rtx_pro_6000_server\n  memory_gib: 96\nengine:\n  max_num_seqs: 128\n  max_num_batched_tokens: 2048\n"
                + "parallel:\n  data_parallel_size: 2\n  enable_expert_parallel: true\n"
                + "workload:\n  trace: " + tmp.resolve("trace.jsonl") + "\n");
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(Main.execute("run", yaml.toString(), "--out", tmp.resolve("out").toString())).isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode summary = JsonMapper.builder().build().readTree(Files.readString(tmp.resolve("out/summary.json")));
        assertThat(r.byLabel().get("TTFT Mean").sim()).isEqualTo(summary.path("turns").path("ttft_ms").path("mean").asDouble(),
                org.assertj.core.data.Offset.offset(1e-3));
        assertThat(r.byLabel().get("TPOT Mean").sim()).isEqualTo(summary.path("turns").path("tpot_ms").path("mean").asDouble(),
                org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void dataParallelismFallsBackToTheClusterConfigsDpGroup() throws IOException {
        // An older meta.json without the parallel arguments: two instances in dp_group A with ep_size 2.
        RealRun run = RealRun.load(runDir(5, "\"tensor_parallel_size\": 1, \"max_num_seqs\": 128"));
        assertThat(run.dataParallelSize()).isEqualTo(2);
        assertThat(run.enableExpertParallel()).isTrue();
        RealRun noEp = RealRun.load(runDir(5, "\"data_parallel_size\": 2, \"enable_expert_parallel\": false"));
        assertThat(noEp.dataParallelSize()).isEqualTo(2);
        assertThat(noEp.enableExpertParallel()).isFalse();
    }

    @Test
    void theClusterConfigAloneRunsTheDpGroup() throws IOException {
        Path run = runDir(20, "\"tensor_parallel_size\": 1");
        Path out = tmp.resolve("cfg-out");
        PrintStream old = System.out;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            assertThat(Main.execute("run", run.resolve("config.json").toString(), "--workload",
                    tmp.resolve("trace.jsonl").toString(), "--data", D.getParent().toString(), "--out", out.toString()))
                    .isZero();
        } finally {
            System.setOut(old);
        }
        JsonNode summary = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(summary.path("turns").path("count").asInt()).isEqualTo(20);
        assertThat(summary.path("engine").path("step_time_source").asString()).startsWith("dp2/ep2(");
    }
}
