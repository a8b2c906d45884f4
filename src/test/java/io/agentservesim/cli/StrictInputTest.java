package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.config.ResolvedSimulation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §2, §3 and §6: sizes the heap cannot hold, degenerate values and mistyped values end with exit 2
 * and one stderr line naming the field (in YAML words, never a Java class), before any large allocation.
 */
class StrictInputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String MODEL = REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json").toString();
    private static final String PROFILE = REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16").toString();

    @TempDir
    Path tmp;

    private Path config(String hardware, String engine) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE + "\n" + hardware
                + "engine:\n  max_num_batched_tokens: 2048\n" + engine
                + "workload: {synthetic: {num_requests: 4, rate_per_sec: 8, input: {type: fixed, tokens: 64},"
                + " output: {type: fixed, tokens: 4}}}\nseed: 1\n");
        return f;
    }

    private String fail(Path config, String... mustContain) throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", config.toString(), "--out", out.toString());
        return oneLine(r, out, mustContain);
    }

    private static String oneLine(CliRunner.Result r, Path out, String... mustContain) {
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains(mustContain)
                .doesNotContain("java.", "ObjectNode", "$", "Exception");
        assertThat(out).doesNotExist();
        return err;
    }

    @Test
    void infiniteMemoryIsRefusedNamingMemoryGib() throws IOException {
        fail(config("  memory_gib: .inf\n", "  max_num_seqs: 8\n"), "hardware.memory_gib", "finite");
    }

    @Test
    void kvPoolLargerThanTheHeapIsRefusedWithTheLimit() throws IOException {
        String err = fail(config("  memory_gib: 89.4\n", "  num_gpu_blocks: 2147483647\n"),
                "engine.num_gpu_blocks", "2147483647", "limit of");
        assertThat(err).containsPattern("limit of \\d+ blocks");
    }

    @Test
    void nanUtilisationNamesGpuMemoryUtilization() throws IOException {
        fail(config("  memory_gib: 89.4\n", "  gpu_memory_utilization: .nan\n"), "gpu_memory_utilization", "NaN");
    }

    @Test
    void fractionalIntegerIsRefused() throws IOException {
        fail(config("  memory_gib: 89.4\n", "  max_num_seqs: 4.5\n"), "engine.max_num_seqs", "expected an integer, got 4.5");
    }

    @Test
    void quotedIntegerIsRefused() throws IOException {
        fail(config("  memory_gib: 89.4\n", "  max_num_seqs: \"8\"\n"), "engine.max_num_seqs", "expected an integer");
    }

    @Test
    void integerForBooleanIsRefused() throws IOException {
        fail(config("  memory_gib: 89.4\n", "  enable_prefix_caching: 1\n"), "engine.enable_prefix_caching", "true or false");
    }

    @Test
    void quotedIntegerInTheSyntheticWorkloadIsRefused() throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + MODEL + "\nhardware: {profile: " + PROFILE + ", memory_gib: 89.4}\n"
                + "workload: {synthetic: {num_requests: \"4\", rate_per_sec: 8, input: {type: fixed, tokens: 64},"
                + " output: {type: fixed, tokens: 4}}}\n");
        fail(f, "num_requests", "expected an integer");
    }

    @Test
    void quotedIntegerInTheModelConfigIsRefused() throws IOException {
        Path model = tmp.resolve("config.json");
        Files.writeString(model, Files.readString(Path.of(MODEL)).replaceFirst("\"num_hidden_layers\": *(\\d+)",
                "\"num_hidden_layers\": \"$1\""));
        assertThat(Files.readString(model)).contains("\"num_hidden_layers\": \"");
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + model + "\nhardware: {profile: " + PROFILE + ", memory_gib: 89.4}\n"
                + "workload: {synthetic: {num_requests: 4, rate_per_sec: 8, input: {type: fixed, tokens: 64},"
                + " output: {type: fixed, tokens: 4}}}\n");
        fail(f, "num_hidden_layers");
    }

    @Test
    void sectionOfTheWrongShapeSaysMappingNotAJavaClass() throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + MODEL + "\nengine: 5\n");
        fail(f, "engine", "expected a mapping, got 5");
        Files.writeString(f, "model: " + MODEL + "\nengine: [1]\n");
        fail(f, "engine", "expected a mapping, got a list");
    }

    @Test
    void emptyEngineSectionKeepsTheDefaults() throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + MODEL + "\nhardware: {profile: " + PROFILE + ", memory_gib: 89.4}\nengine:\n"
                + "workload: {synthetic: {num_requests: 4, rate_per_sec: 8, input: {type: fixed, tokens: 64},"
                + " output: {type: fixed, tokens: 4}}}\n");
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", f.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("summary.json")).exists();
    }

    @Test
    void estimateConcurrencyBeyondTheHeapIsRefused() {
        CliRunner.Result r = CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--isl", "100", "--osl", "10",
                "--concurrency", "100000000");
        oneLine(r, tmp.resolve("none"), "--concurrency", "100000000", "limit of");
    }

    @Test
    void estimateJsonNamingAFolderLeavesNoTemporaryFile() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("results"));
        CliRunner.Result r = CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--isl", "100", "--osl", "10",
                "--concurrency", "4", "--json", folder.toString());
        oneLine(r, tmp.resolve("none"), "--json", "folder");
        try (Stream<Path> left = Files.list(folder)) {
            assertThat(left).isEmpty();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".estimate"));
        }
    }

    @Test
    void helpPrintsNoPicocliWarning() {
        for (String[] args : new String[][] {{"--help"}, {"validate", "--help"}}) {
            CliRunner.Result r = CliRunner.run(args);
            assertThat(r.exitCode()).isZero();
            assertThat(r.out() + r.err()).doesNotContain("WARN").doesNotContain("UnknownFormatConversion");
        }
        assertThat(CliRunner.run("validate", "--help").out()).contains("Diff%");
    }

    @Test
    void energyUnderPipelineParallelismCountsTensorTimesPipelineGpus() throws IOException {
        Path f = tmp.resolve("pp.yaml");
        Files.writeString(f, "model: " + MODEL + "\nhardware: {gpu: h100_sxm}\n"
                + "engine: {tensor_parallel_size: 2, pipeline_parallel_size: 2, num_gpu_blocks: 4000, max_model_len: 4096}\n"
                + "workload: {synthetic: {num_requests: 2, rate_per_sec: 1, input: {type: fixed, tokens: 16},"
                + " output: {type: fixed, tokens: 4}}}\npower: {enabled: true}\n");
        ResolvedSimulation sim = ResolvedSimulation.load(f, null, null);
        assertThat(sim.power().gpusPerInstance()).isEqualTo(4);
        assertThat(sim.instancePower()).allSatisfy(p -> assertThat(p.gpusPerInstance()).isEqualTo(4));
    }
}
