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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A policy's decisions through a whole run: decisions.csv rows (only when outputs.decisions is on) and the
 * summary.json "decisions" counters. Program a (300-token prompt, 40 output tokens) calls tool "bash" for 1 s
 * and comes back with its context plus 60 new tokens; fixed-ttl pins its KV for 5 s. Llama-3.1-8B holds
 * 131,072 B of KV per token, 2 MiB per 16-token block.
 */
class DecisionsOutputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final long BLOCK_BYTES = 16 * 131_072L;

    @TempDir
    Path tmp;

    private static String ids(int from, int n) {
        return IntStream.range(from, from + n).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private int run(long bArrivalNs, int blocks, String outputs, Path out) throws IOException {
        return run(bArrivalNs, blocks, "kv:\n  retention: fixed-ttl\n  ttl_s: 5\n", outputs, out);
    }

    private int run(long bArrivalNs, int blocks, String kv, String outputs, Path out) throws IOException {
        String aIn = ids(1000, 300);
        String aOut = ids(5000, 40);
        String a2In = aIn.substring(0, aIn.length() - 1) + "," + aOut.substring(1, aOut.length() - 1) + ","
                + ids(7000, 60).substring(1);
        Path trace = tmp.resolve("s.jsonl");
        Files.writeString(trace, "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 300, \"output_toks\": 40, \"tool_duration_ns\": 1000000000, \"tool_name\": \"bash\", "
                + "\"input_tok_ids\": " + aIn + ", \"output_tok_ids\": " + aOut + "},"
                + "{\"input_toks\": 400, \"output_toks\": 40, \"tool_duration_ns\": 0, \"input_tok_ids\": " + a2In + "}]}\n"
                + "{\"session_id\": \"b\", \"arrival_time_ns\": " + bArrivalNs + ", \"sub_requests\": ["
                + "{\"input_toks\": 3000, \"output_toks\": 40, \"tool_duration_ns\": 0}]}\n");
        Path f = tmp.resolve("agents.yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16") + "\n"
                + "engine:\n  num_gpu_blocks: " + blocks + "\nprograms:\n  trace: " + trace + "\n"
                + kv + outputs);
        CliRunner.Result r = CliRunner.run("run", f.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.exitCode();
    }

    private static JsonNode decisions(Path out) throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json"))).path("decisions");
    }

    private static List<String[]> rows(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out.resolve("decisions.csv"));
        assertThat(lines.get(0)).isEqualTo("time_ns,instance,program_id,decision,tokens,bytes,detail_ns");
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    @Test
    void aPinHeldThroughTheGapIsKeptAndItsHitTokensCounted() throws IOException {
        Path out = tmp.resolve("kept");
        run(5_000_000, 2000, "outputs:\n  decisions: true\n", out);
        List<String[]> rows = rows(out);
        assertThat(rows).extracting(r -> r[2] + ":" + r[3])
                .containsExactly("0:pin", "1:release", "0:pin_kept", "0:release");
        String[] pin = rows.get(0);
        long end = Long.parseLong(pin[0]);
        // 340 context tokens in 22 blocks of 2 MiB; the pin lasts 5 s from the turn's end.
        assertThat(pin[4]).isEqualTo("340");
        assertThat(Long.parseLong(pin[5])).isEqualTo(22 * BLOCK_BYTES);
        assertThat(Long.parseLong(pin[6])).isEqualTo(end + 5_000_000_000L);
        // The next turn arrives 1 s after the end and finds the 21 full blocks (336 tokens) the pin held.
        String[] kept = rows.get(2);
        assertThat(Long.parseLong(kept[0])).isEqualTo(end + 1_000_000_000L);
        assertThat(kept[4]).isEqualTo("336");
        JsonNode d = decisions(out);
        assertThat(d.path("pins_granted").asLong()).isEqualTo(1);
        assertThat(d.path("pins_kept").asLong()).isEqualTo(1);
        assertThat(d.path("pins_broken").asLong()).isZero();
        assertThat(d.path("releases").asLong()).isEqualTo(2);
        assertThat(d.path("pin_kept_hit_tokens").asLong()).isEqualTo(336);
    }

    @Test
    void aPinIsBrokenWhenANewProgramNeedsItsBlocks() throws IOException {
        Path out = tmp.resolve("broken");
        // 200 blocks: program b's 3,040 tokens (190 blocks) arriving at 0.7 s, inside a's gap, do not fit beside
        // a's 22 pinned blocks, so the pin goes; a's next turn then finds only what LRU has not yet reused.
        run(700_000_000, 200, "outputs:\n  decisions: true\n", out);
        List<String[]> rows = rows(out);
        assertThat(rows).extracting(r -> r[2] + ":" + r[3])
                .containsExactly("0:pin", "0:pin_broken", "1:release", "0:release");
        assertThat(rows.get(1)[0]).isEqualTo("700000000");
        assertThat(rows.get(1)[4]).isEqualTo("340");
        JsonNode d = decisions(out);
        assertThat(d.path("pins_broken").asLong()).isEqualTo(1);
        assertThat(d.path("pins_kept").asLong()).isZero();
        assertThat(d.path("pin_broken_tokens").asLong()).isEqualTo(340);
        List<String> turns = Files.readAllLines(out.resolve("turns.csv"));
        int hitCol = List.of(turns.get(0).split(",")).indexOf("cache_hit_tokens");
        long secondTurnHits = Long.parseLong(turns.get(3).split(",")[hitCol]);
        assertThat(secondTurnHits).isLessThan(336).isGreaterThanOrEqualTo(0);
    }

    @Test
    void decisionsCsvIsOffByDefaultButTheCountersAreAlwaysThere() throws IOException {
        Path out = tmp.resolve("off");
        run(5_000_000, 2000, "", out);
        assertThat(out.resolve("decisions.csv")).doesNotExist();
        assertThat(decisions(out).path("pins_granted").asLong()).isEqualTo(1);
    }

    @Test
    void inferCeptSwapsABrokenPinWithinTheStepBudgetAndTheNextTurnRestoresIt() throws IOException {
        Path out = tmp.resolve("infercept");
        // As above, under infercept with a 25 GB/s host link: the pin broken at 0.7 s is first copied out, all
        // 21 full blocks (44 MB), well within what the link moves during one ~11 ms step (about 130 blocks).
        run(700_000_000, 200, "kv:\n  retention: infercept\n"
                + "  host_tier: {capacity_gib: 4, bandwidth_gb_per_s: 25, latency_us: 10}\n",
                "outputs:\n  decisions: true\n", out);
        List<String[]> rows = rows(out);
        assertThat(rows).extracting(r -> r[2] + ":" + r[3])
                .containsExactly("0:pin", "0:pin_broken", "0:swap_out", "1:release", "0:restore", "0:release");
        assertThat(Long.parseLong(rows.get(2)[5])).isEqualTo(21 * BLOCK_BYTES);
        // a's next turn takes what the LRU still holds from the GPU and the rest of its 21 blocks from the host:
        // all 336 context tokens hit, and only its 4 tokens past the last full block are computed again.
        List<String> turns = Files.readAllLines(out.resolve("turns.csv"));
        List<String> header = List.of(turns.get(0).split(","));
        String[] second = turns.get(3).split(",");
        long hits = Long.parseLong(second[header.indexOf("cache_hit_tokens")]);
        long restored = Long.parseLong(second[header.indexOf("restored_bytes")]);
        assertThat(hits).isEqualTo(336);
        assertThat(second[header.indexOf("recomputed_tokens")]).isEqualTo("4");
        assertThat(restored).isPositive().isEqualTo(Long.parseLong(rows.get(4)[5]));
        JsonNode d = decisions(out);
        assertThat(d.path("swaps_out").asLong()).isEqualTo(1);
        assertThat(d.path("restores").asLong()).isEqualTo(1);
    }

    @Test
    void aPolicysOwnSettingsSectionOverridesTheGlobalDefault() throws IOException {
        Path out = tmp.resolve("section");
        run(5_000_000, 2000, "kv:\n  retention: fixed-ttl\n  ttl_s: 5\n  settings:\n    fixed-ttl: {ttl_s: 2}\n",
                "outputs:\n  decisions: true\n", out);
        String[] pin = rows(out).get(0);
        assertThat(pin[3]).isEqualTo("pin");
        assertThat(Long.parseLong(pin[6])).isEqualTo(Long.parseLong(pin[0]) + 2_000_000_000L);
    }
}
