package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of bad input ends with exit code 2, one line on stderr naming the file (and line or field)
 * and what was expected, and no output folder (not even a partial one) left behind.
 */
class BadInputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String MODEL = REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json").toString();
    private static final String PROFILE = REPO.resolve("data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16").toString();
    private static final String TRACE = REPO.resolve("data/llmservingsim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz").toString();

    @TempDir
    Path tmp;

    private Path config(String body) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, body);
        return f;
    }

    private String base(String engineExtra, String workload) {
        return "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE + "\nengine:\n  num_gpu_blocks: 2588\n"
                + engineExtra + "workload:\n" + workload;
    }

    private String failRun(Path config, String... mustContain) throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", config.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains(mustContain);
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> names = left.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.contains("partial"));
        }
        return err;
    }

    @Test
    void missingConfigFile() throws IOException {
        failRun(tmp.resolve("nope.yaml"), "nope.yaml", "not found");
    }

    @Test
    void malformedYamlNamesTheLine() throws IOException {
        failRun(config("model: x\nengine:\n  max_num_seqs: [1\n"), "sim.yaml", "line");
    }

    @Test
    void unknownKeyNamesTheFieldPath() throws IOException {
        failRun(config(base("  max_num_seq: 5\n", "  trace: " + TRACE + "\n")), "sim.yaml", "engine.max_num_seq");
    }

    @Test
    void wrongTypeNamesTheField() throws IOException {
        failRun(config(base("  max_num_seqs: lots\n", "  trace: " + TRACE + "\n")), "sim.yaml", "engine.max_num_seqs");
    }

    @Test
    void profileBundleWithoutAttentionTable() throws IOException {
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("tp1"));
        Path src = Path.of(PROFILE);
        Files.copy(src.resolve("meta.yaml"), bundle.resolve("meta.yaml"));
        for (String f : new String[] {"dense.csv", "per_sequence.csv", "skew.csv", "skew_fit.csv"}) {
            Files.copy(src.resolve("tp1").resolve(f), bundle.resolve("tp1").resolve(f));
        }
        String body = base("", "  trace: " + TRACE + "\n").replace(PROFILE, bundle.toString());
        failRun(config(body), "attention.csv");
    }

    @Test
    void requestLongerThanMaxModelLenIsRefusedWithoutPartialOutput() throws IOException {
        failRun(config(base("  max_model_len: 1024\n", "  trace: " + TRACE + "\n")), "max_model_len is 1024",
                "request 0");
    }

    @Test
    void requestLargerThanTheWholeKvPool() throws IOException {
        String body = base("", "  trace: " + TRACE + "\n").replace("num_gpu_blocks: 2588", "num_gpu_blocks: 20");
        failRun(config(body), "KV blocks", "num_gpu_blocks");
    }

    @Test
    void impossibleSettings() throws IOException {
        failRun(config(base("  max_num_batched_tokens: 0\n", "  trace: " + TRACE + "\n")), "sim.yaml",
                "max_num_batched_tokens must be > 0");
        String tooSmall = "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE + "\n  memory_gib: 8\n"
                + "workload:\n  trace: " + TRACE + "\n";
        failRun(config(tooSmall), "hardware.memory_gib", "weights");
    }

    @Test
    void impossibleParallelismAndUnknownHardware() throws IOException {
        failRun(config(base("  expert_parallel_size: 2\n", "  trace: " + TRACE + "\n")), "engine.expert_parallel_size",
                "has no experts");
        String withGpu = base("", "  trace: " + TRACE + "\n").replace("hardware:\n", "hardware:\n  gpu: tpu_v9\n");
        failRun(config(withGpu), "hardware.gpu", "h100_sxm");
        String p2pWithoutGpu = base("", "  trace: " + TRACE + "\n").replace("hardware:\n", "hardware:\n  gpu_p2p: false\n");
        failRun(config(p2pWithoutGpu), "hardware.gpu_p2p", "hardware.gpu");
        failRun(config(base("", "  trace: " + TRACE + "\n") + "moe:\n  routing: psychic\n"), "moe.routing");
        failRun(config(base("  pipeline_parallel_size: 2\n", "  trace: " + TRACE + "\n")), "hardware.gpu");
        failRun(config(base("  tensor_parallel_size: 3\n", "  trace: " + TRACE + "\n")), "engine.tensor_parallel_size",
                "32 attention heads");
    }

    @Test
    void malformedTraceLineNamesFileAndLine() throws IOException {
        Path trace = tmp.resolve("trace.jsonl");
        Files.writeString(trace, "{\"input_toks\": 10, \"output_toks\": 5, \"arrival_time_ns\": 0}\n"
                + "{\"input_toks\": 10, \"output_toks\": \n");
        failRun(config(base("", "  trace: " + trace + "\n")), "trace.jsonl:2");
    }

    @Test
    void traceAndSyntheticTogether() throws IOException {
        failRun(config(base("", "  trace: " + TRACE + "\n  synthetic: {num_requests: 1}\n")), "either trace or synthetic");
    }

    @Test
    void badSyntheticValueNamesItsPath() throws IOException {
        failRun(config(base("", "  synthetic:\n    num_requests: 10\n    rate_per_sec: -1\n"
                + "    input: {type: fixed, tokens: 10}\n    output: {type: fixed, tokens: 10}\n")),
                "workload.synthetic.rate_per_sec");
    }

    @Test
    void validateWithAMissingRunFolder() {
        CliRunner.Result r = CliRunner.run("validate", tmp.resolve("norun").toString(), "--workload", TRACE,
                "--profile", PROFILE, "--model", MODEL);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: ").contains("norun").hasLineCount(1);
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRunner.Result r = CliRunner.run("run", "--bogus");
        assertThat(r.exitCode()).isEqualTo(2);
    }
}
