package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One P/D turn by hand-checkable numbers, and bad cluster layouts: they end with exit 2, one line naming the field to fix and no output folder: a P/D cluster
 * without a decode (or prefill) group, co-located instances inside one, a group whose model does not fit its
 * GPU, a missing or non-positive pd_link, groups together with instances, groups for flat requests.
 */
class PdInputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String PROFILE = REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16")
            .toString();

    @TempDir
    Path tmp;

    private record Result(int code, String err, Path out) {
    }

    private Result run(String cluster) throws IOException {
        return runWith("programs:\n  synthetic: {preset: chat, num_programs: 2, programs_per_sec: 1}\n", cluster);
    }

    private Result runWith(String workload, String cluster) throws IOException {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + PROFILE + "\n"
                + "engine:\n  num_gpu_blocks: 2000\n" + workload + "cluster:\n" + cluster);
        Path out = tmp.resolve("out");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute("run", f.toString(), "--out", out.toString());
            return new Result(code, err.toString(StandardCharsets.UTF_8).strip(), out);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void refused(Result r, String field) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("c.yaml").contains(field).hasLineCount(1);
        assertThat(r.out()).doesNotExist();
    }

    private static final String LINK = "  pd_link: {bandwidth_gb_per_s: 50, latency_us: 10}\n";

    @Test
    void aDisaggregatedTurnWaitsExactlyForItsKvOnTheLink() throws IOException {
        Path trace = tmp.resolve("one.jsonl");
        Files.writeString(trace, "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 1000, \"output_toks\": 10, \"tool_duration_ns\": 0}]}\n");
        Result r = runWith("programs:\n  trace: " + trace + "\n", "  groups:\n    - {role: prefill}\n    - {role: decode}\n"
                + "  pd_link: {bandwidth_gb_per_s: 10, latency_us: 100}\n");
        assertThat(r.code()).as(r.err()).isZero();
        java.util.List<String> lines = Files.readAllLines(r.out().resolve("turns.csv"));
        assertThat(lines).hasSize(2);
        java.util.List<String> header = java.util.List.of(lines.get(0).split(","));
        String[] v = lines.get(1).split(",");
        java.util.function.ToLongFunction<String> col = c -> Long.parseLong(v[header.indexOf(c)]);
        // 1,000 prompt tokens x 128 KiB of Llama-3.1-8B KV at 10 GB/s, plus 100 us; both instances idle.
        long bytes = 1000L * 131_072;
        assertThat(col.applyAsLong("kv_transfer_bytes")).isEqualTo(bytes);
        assertThat(col.applyAsLong("kv_transfer_ns")).isEqualTo(100_000 + bytes / 10);
        assertThat(col.applyAsLong("decode_queue_ns")).isZero();
        assertThat(col.applyAsLong("prefill_queue_ns")).isZero();
        assertThat(col.applyAsLong("prefill_ns")).isPositive();
        assertThat(col.applyAsLong("ttft_ns")).isEqualTo(col.applyAsLong("prefill_ns") + 100_000 + bytes / 10);
        assertThat(col.applyAsLong("output_tokens")).isEqualTo(10);
        assertThat(col.applyAsLong("prefill_instance")).isZero();
        assertThat(col.applyAsLong("instance")).isEqualTo(1);
        // The nine tokens after the first are decode steps on the decode instance, after the KV arrived.
        assertThat(col.applyAsLong("e2e_ns")).isCloseTo(col.applyAsLong("ttft_ns") + 9 * col.applyAsLong("tpot_ns"),
                org.assertj.core.data.Offset.offset(9L));
    }

    @Test
    void aPdClusterNeedsBothPrefillAndDecodeGroups() throws IOException {
        Result noDecode = run("  groups:\n    - {count: 2, role: prefill}\n" + LINK);
        refused(noDecode, "cluster.groups");
        assertThat(noDecode.err()).contains("no decode group");
        Result noPrefill = run("  groups:\n    - {role: decode}\n" + LINK);
        refused(noPrefill, "cluster.groups");
        assertThat(noPrefill.err()).contains("no prefill group");
        refused(run("  groups:\n    - {role: prefill}\n    - {role: decode}\n    - {role: both}\n" + LINK),
                "cluster.groups[2].role");
        refused(run("  groups:\n    - {role: prefill}\n    - {role: mixed}\n" + LINK), "cluster.groups[1].role");
    }

    @Test
    void aGroupWhoseModelDoesNotFitItsGpuIsNamed() throws IOException {
        // Llama-3.1-8B's 15 GiB of weights on an 8 GiB GPU.
        Result r = run("  groups:\n    - {role: prefill}\n"
                + "    - {role: decode, hardware: {memory_gib: 8}, engine: {num_gpu_blocks: null}}\n" + LINK);
        refused(r, "cluster.groups[1].hardware.memory_gib");
        assertThat(r.err()).contains("weights");
    }

    @Test
    void thePdLinkMustBeGivenWithAPositiveBandwidth() throws IOException {
        String groups = "  groups:\n    - {role: prefill}\n    - {role: decode}\n";
        refused(run(groups), "cluster.pd_link");
        refused(run(groups + "  pd_link: {bandwidth_gb_per_s: 0, latency_us: 10}\n"), "cluster.pd_link.bandwidth_gb_per_s");
        refused(run(groups + "  pd_link: {bandwidth_gb_per_s: -3, latency_us: 10}\n"), "cluster.pd_link.bandwidth_gb_per_s");
        refused(run(groups + "  pd_link: {bandwidth_gb_per_s: 50, latency_us: -1}\n"), "cluster.pd_link.latency_us");
        refused(run("  instances: 2\n" + LINK), "cluster.pd_link");
    }

    @Test
    void groupsReplaceInstances() throws IOException {
        // (A flat workload on groups is simulated now: SettingsSimulatedOrRefusedTest.aFlatWorkloadRunsOnClusterGroups.)
        refused(run("  instances: 2\n  groups:\n    - {count: 2}\n"), "cluster.instances");
        refused(run("  groups:\n    - {count: 0}\n"), "cluster.groups[0].count");
        refused(run("  groups:\n    - {count: 1, engine: {max_num_seqz: 4}}\n"), "cluster.groups[0]");
    }
}
