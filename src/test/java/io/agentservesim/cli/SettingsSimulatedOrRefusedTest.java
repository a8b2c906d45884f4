package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 12 §4: a setting the simulator reads is simulated or refused with one line naming it, never dropped.
 * A flat request workload runs on the cluster its YAML describes (cluster.instances, the router, groups, the
 * scheduling policy); an LLMServingSim cluster config.json with several instances runs them all behind
 * LLMServingSim's LOAD router, with each instance's own overrides; what neither path simulates is refused.
 */
class SettingsSimulatedOrRefusedTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final Path DATA = REPO.resolve("data");
    private static final String LLAMA = REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json").toString();
    private static final String PROFILE = REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16")
            .toString();
    /** 40 requests of 600 + 40 tokens at 8 per second: a few run at once. */
    private static final String WORKLOAD = "workload:\n  synthetic:\n    num_requests: 40\n    rate_per_sec: 8\n"
            + "    input: {type: fixed, tokens: 600}\n    output: {type: fixed, tokens: 40}\n";

    @TempDir
    Path tmp;

    private Path yaml(String extra) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + LLAMA + "\nhardware:\n  profile: " + PROFILE + "\n  memory_gib: 89.4\n"
                + "engine:\n  max_num_seqs: 64\n" + extra + WORKLOAD);
        return f;
    }

    private Path out() {
        return tmp.resolve("out");
    }

    private CliRunner.Result ok(String... args) {
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private void refused(Path config, String field, String... alsoContains) {
        CliRunner.Result r = config.toString().endsWith(".json")
                ? CliRunner.run("run", config.toString(), "--workload", trace().toString(), "--data", DATA.toString(),
                        "--out", out().toString())
                : CliRunner.run("run", config.toString(), "--out", out().toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains(config.getFileName().toString()).contains(field);
        for (String part : alsoContains) {
            assertThat(err).contains(part);
        }
        assertThat(out()).doesNotExist();
    }

    /** The instance id of each request of requests.csv, in request order. */
    private List<Integer> instanceOfEachRequest() throws IOException {
        return Files.readAllLines(out().resolve("requests.csv")).stream().skip(1)
                .map(l -> l.split(",", 3))
                .sorted((a, b) -> Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1])))
                .map(a -> Integer.parseInt(a[0])).toList();
    }

    private JsonNode summary() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(out().resolve("summary.json")));
    }

    @Test
    void aFlatWorkloadRunsOnClusterInstancesBehindTheConfiguredRouter() throws IOException {
        ok("run", yaml("cluster:\n  instances: 2\n  router: round-robin\n").toString(), "--out", out().toString());
        // Round-robin: request i on instance i mod 2, and the energy counts both instances' GPUs.
        List<Integer> at = instanceOfEachRequest();
        assertThat(at).hasSize(40);
        for (int i = 0; i < at.size(); i++) {
            assertThat(at.get(i)).as("request " + i).isEqualTo(i % 2);
        }
        assertThat(summary().path("energy").path("instances").asInt()).isEqualTo(2);
    }

    @Test
    void aFlatWorkloadRunsOnClusterGroups() throws IOException {
        // Two groups: one instance of the top-level engine, one allowed a single sequence at a time.
        ok("run", yaml("cluster:\n  router: round-robin\n  groups:\n    - {count: 1}\n"
                + "    - {count: 1, engine: {max_num_seqs: 1}}\n").toString(), "--out", out().toString());
        assertThat(instanceOfEachRequest()).containsOnly(0, 1);
        JsonNode s = summary();
        assertThat(s.path("energy").path("instances").asInt()).isEqualTo(2);
        // The single-sequence instance queues its requests: the run's worst queueing exceeds a whole request's
        // decode (39 steps of at least 5 ms), which the 64-sequence instance alone never sees at 4 requests/s.
        assertThat(s.path("turns").path("queueing_ms").path("max").asDouble()).isGreaterThan(39 * 5.0);
    }

    @Test
    void aFlatWorkloadRefusesProgramOnlySettingsAndChecksItsPolicies() throws IOException {
        refused(yaml("tools:\n  gap_scale: 2.0\n"), "tools", "flat requests");
        refused(yaml("programs:\n  closed_loop_agents: 4\n"), "programs.closed_loop_agents", "agent programs");
        refused(yaml("programs:\n  format: dag\n"), "programs.format", "agent programs");
        refused(yaml("world:\n  step_overhead_s: 1.0\n"), "world.step_overhead_s");
        // A flat workload now runs its scheduling and retention policies, so their names are checked too.
        refused(yaml("scheduling:\n  policy: shortest-first-maybe\n"), "scheduling.policy");
        refused(yaml("kv:\n  retention: forever\n"), "kv.retention");
    }

    @Test
    void settingsThatCannotApplyToTheModelOrLayoutAreRefused() throws IOException {
        // Llama-3.1-8B is dense: expert routing has nothing to route.
        refused(yaml("moe:\n  routing: zipf\n"), "moe.routing", "has no experts");
        // Micro-batches in flight need pipeline stages.
        refused(yaml("  pipeline_micro_batches: 4\n"), "engine.pipeline_micro_batches",
                "pipeline_parallel_size > 1");
        refused(yaml("  pipeline_micro_batches: 0\n"), "engine.pipeline_micro_batches", "expected >= 1");
    }

    private Path trace() {
        Path f = tmp.resolve("trace.jsonl");
        if (!Files.exists(f)) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 12; i++) {
                b.append("{\"input_toks\": 500, \"output_toks\": 20, \"arrival_time_ns\": ").append(i * 50_000_000L)
                        .append("}\n");
            }
            try {
                Files.writeString(f, b);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return f;
    }

    private static String instance(String extra) {
        return "{\"model_name\": \"meta-llama/Llama-3.1-8B\", \"hardware\": \"RTXPRO6000\","
                + " \"npu_mem\": {\"mem_size\": 96, \"mem_bw\": 1597, \"mem_latency\": 0, \"mem_util\": 0.9},"
                + " \"num_npus\": 1, \"tp_size\": 1, \"pd_type\": null" + extra + "}";
    }

    private Path clusterJson(String nodeExtra, String... instances) throws IOException {
        Path f = tmp.resolve("config.json");
        Files.writeString(f, "{\"num_nodes\": 1, \"link_bw\": 16, \"link_latency\": 20000, \"nodes\": [{\"num_instances\": "
                + instances.length + ", \"cpu_mem\": {\"mem_size\": 512, \"mem_bw\": 256, \"mem_latency\": 0}"
                + nodeExtra + ", \"instances\": [" + String.join(", ", instances) + "]}]}");
        return f;
    }

    private CliRunner.Result runJson(Path config) {
        return ok("run", config.toString(), "--workload", trace().toString(), "--data", DATA.toString(),
                "--out", out().toString());
    }

    @Test
    void anLlmServingSimConfigWithTwoInstancesRunsBothBehindItsLoadRouter() throws IOException {
        runJson(clusterJson("", instance(""), instance("")));
        // LLMServingSim's LOAD router (least 4 x waiting + running, ties to the lowest id): the requests arrive
        // 50 ms apart and each takes longer than that, so they alternate between the two instances.
        List<Integer> at = instanceOfEachRequest();
        assertThat(at).hasSize(12);
        assertThat(at.subList(0, 2)).containsExactly(0, 1);
        assertThat(at).containsOnly(0, 1);
        assertThat(at.stream().filter(i -> i == 1).count()).isBetween(4L, 8L);
        assertThat(summary().path("engine").path("step_time_source").asString())
                .contains("profile:RTXPRO6000/meta-llama/Llama-3.1-8B/tp1");
    }

    @Test
    void eachInstanceKeepsItsOwnBatchLimits() throws IOException {
        CliRunner.Result r = runJson(clusterJson("", instance(", \"max_num_seqs\": 2, \"max_num_batched_tokens\": 1024"),
                instance("")));
        assertThat(r.out()).contains("batch limits: max_num_batched_tokens 1024, max_num_seqs 2 (as configured)")
                .contains("batch limits: max_num_batched_tokens 8192, max_num_seqs 1024 (both from vLLM's defaults");
        // max_num_batched_tokens 0 is LLMServingSim's "the model's context length" (131072 for Llama-3.1-8B).
        CliRunner.Result zero = runJson(clusterJson("", instance(", \"max_num_seqs\": 8, \"max_num_batched_tokens\": 0")));
        assertThat(zero.out()).contains("max_num_batched_tokens 131072, max_num_seqs 8 (as configured)");
    }

    @Test
    void whatAnLlmServingSimConfigAsksAndAsimDoesNotSimulateIsRefusedByName() throws IOException {
        refused(clusterJson("", instance(""), instance(", \"pd_type\": \"decode\"").replace(", \"pd_type\": null", "")),
                "nodes[0].instances[1].pd_type", "cluster.groups");
        refused(clusterJson("", instance(", \"enable_attn_offloading\": true")),
                "nodes[0].instances[0].enable_attn_offloading");
        refused(clusterJson("", instance(", \"num_speculative_tokens\": 2")),
                "nodes[0].instances[0].num_speculative_tokens", "not simulated");
        refused(clusterJson(", \"power\": {}", instance("")), "nodes[0].power", "power model");
        refused(clusterJson("", instance(", \"max_num_seqs\": 0")), "nodes[0].instances[0].max_num_seqs", "no limit");
        refused(clusterJson("", instance("").replace("\"num_npus\": 1", "\"num_npus\": 2")),
                "nodes[0].instances[0].num_npus", "tp_size x pp_size");
        refused(clusterJson("", instance(", \"dp_group\": \"A\""),
                instance(", \"dp_group\": \"A\", \"block_size\": 32")), "nodes[0].instances[1].block_size", "alike");
        // The instances listed must be as many as num_instances says.
        Path f = clusterJson("", instance(""));
        Files.writeString(f, Files.readString(f).replace("\"num_instances\": 1", "\"num_instances\": 2"));
        refused(f, "nodes[0].num_instances");
    }
}
