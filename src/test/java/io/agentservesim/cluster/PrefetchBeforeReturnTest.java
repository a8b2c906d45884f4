package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * offload-prefetch reads a program's KV back before the predicted return of its tool call. Program a calls
 * "bash" twice for 1 s; program b (3,000 tokens) arrives in a's second gap and takes the GPU blocks a's
 * context had (200 blocks of 16 tokens, 2 MiB each); b is done before a returns. The second gap is
 * predicted from the first (1 s), so the transfer of what the GPU lost starts 1 s after the turn's end less
 * the context's time on the idle 25 GB/s link, lands before a's third turn arrives, and that turn reads
 * nothing at admission, which plain offload has to.
 */
class PrefetchBeforeReturnTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final long BLOCK_BYTES = 16 * 131_072L;

    @TempDir
    Path tmp;

    private static String ids(int from, int n) {
        return IntStream.range(from, from + n).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private Path run(String retention) throws IOException {
        String a1 = ids(1000, 300);
        String o1 = ids(5000, 40);
        String a2 = a1 + "," + o1 + "," + ids(7000, 60);
        String o2 = ids(5100, 40);
        String a3 = a2 + "," + o2 + "," + ids(7100, 60);
        Path trace = tmp.resolve("s.jsonl");
        Files.writeString(trace, "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 300, \"output_toks\": 40, \"tool_duration_ns\": 1000000000, \"tool_name\": \"bash\", "
                + "\"input_tok_ids\": [" + a1 + "], \"output_tok_ids\": [" + o1 + "]},"
                + "{\"input_toks\": 400, \"output_toks\": 40, \"tool_duration_ns\": 1000000000, \"tool_name\": \"bash\", "
                + "\"input_tok_ids\": [" + a2 + "], \"output_tok_ids\": [" + o2 + "]},"
                + "{\"input_toks\": 500, \"output_toks\": 40, \"tool_duration_ns\": 0, \"input_tok_ids\": [" + a3 + "]}]}\n"
                + "{\"session_id\": \"b\", \"arrival_time_ns\": 1950000000, \"sub_requests\": ["
                + "{\"input_toks\": 3000, \"output_toks\": 40, \"tool_duration_ns\": 0}]}\n");
        Path f = tmp.resolve(retention + ".yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16") + "\n"
                + "engine:\n  num_gpu_blocks: 200\nprograms:\n  trace: " + trace + "\n"
                + "kv:\n  retention: " + retention + "\n  host_tier: {capacity_gib: 4, bandwidth_gb_per_s: 25, latency_us: 10}\n"
                + "outputs:\n  decisions: true\n");
        Path out = tmp.resolve(retention);
        CliRunner.Result r = CliRunner.run("run", f.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return out;
    }

    private static String[] lastTurn(Path out) throws IOException {
        List<String> rows = Files.readAllLines(out.resolve("turns.csv"));
        return rows.get(rows.size() - 1).split(",");
    }

    private static int col(Path out, String name) throws IOException {
        return List.of(Files.readAllLines(out.resolve("turns.csv")).get(0).split(",")).indexOf(name);
    }

    private static List<String[]> decisions(Path out, int program) throws IOException {
        return Files.readAllLines(out.resolve("decisions.csv")).stream().skip(1).map(l -> l.split(","))
                .filter(r -> r[2].equals(Integer.toString(program))).toList();
    }

    @Test
    void theReadBackLandsBeforeTheTurnArrivesAndItsTtftDropsByTheRestore() throws IOException {
        Path plain = run("offload");
        Path ahead = run("offload-prefetch");
        List<String[]> a = decisions(ahead, 0);
        assertThat(a).extracting(r -> r[3]).containsExactly("offload", "offload", "prefetch", "prefetch_in_time", "release");
        long secondEnd = Long.parseLong(a.get(1)[0]);
        String[] prefetch = a.get(2);
        // 440 context tokens = 27 full blocks, 56.6 MB: 10 us + 2.265 ms on the idle link before the predicted return.
        assertThat(Long.parseLong(prefetch[0])).isEqualTo(secondEnd + 1_000_000_000L - (10_000 + 2_264_925));
        // The GPU kept the first 9 blocks; the other 18 (288 tokens) are read: 10 us + 1.510 ms.
        assertThat(prefetch[4]).isEqualTo("288");
        assertThat(Long.parseLong(prefetch[5])).isEqualTo(18 * BLOCK_BYTES);
        assertThat(Long.parseLong(prefetch[6])).isEqualTo(Long.parseLong(prefetch[0]) + 10_000 + 1_509_950);
        // Both runs give the last turn its 432 context tokens as hits; plain offload reads 18 blocks at admission.
        String[] withPrefetch = lastTurn(ahead);
        String[] atAdmission = lastTurn(plain);
        assertThat(withPrefetch[col(ahead, "cache_hit_tokens")]).isEqualTo("432");
        assertThat(atAdmission[col(plain, "cache_hit_tokens")]).isEqualTo("432");
        assertThat(withPrefetch[col(ahead, "restored_bytes")]).isEqualTo("0");
        assertThat(Long.parseLong(atAdmission[col(plain, "restored_bytes")])).isEqualTo(18 * BLOCK_BYTES);
        long saved = Long.parseLong(atAdmission[col(plain, "ttft_ns")]) - Long.parseLong(withPrefetch[col(ahead, "ttft_ns")]);
        // The restore (1.52 ms) no longer delays the first token; step boundaries round it to whole steps.
        assertThat(saved).isBetween(1_000_000L, 3_000_000L);
    }
}
