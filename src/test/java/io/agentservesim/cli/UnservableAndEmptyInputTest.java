package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One behaviour for a turn no instance could ever run, on every path: by default the run stops with one line
 * naming the request, program turn or world call (exit 2, nothing written); {@code programs.on_unservable:
 * reject} or {@code world.on_unservable: reject} counts it as rejected instead, as vLLM's API server answers it
 * with HTTP 400. An empty trace is bad input, not a table of NaN. The manifest records the resolved config.
 */
class UnservableAndEmptyInputTest {
    private static final String SWE = "examples/agents/swe-stock-lru.yaml";
    private static final String WORLD = "examples/world/plan-driven.yaml";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private static void assertOneLineExit2(CliRunner.Result r, String... mentions) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        for (String m : mentions) {
            assertThat(r.err()).contains(m);
        }
    }

    private JsonNode summary(Path out) throws IOException {
        return JSON.readTree(Files.readString(out.resolve("summary.json")));
    }

    @Test
    void anAgentTurnLongerThanMaxModelLenStopsTheRunByDefault() {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", SWE, "--set", "engine.max_model_len=4096", "--out", out.toString());
        // The preset's first turn of program 0 is 10,857 + 175 tokens.
        assertOneLineExit2(r, "turn 0 needs 11032 tokens", "max_model_len is 4096",
                "programs.on_unservable: reject");
        assertThat(out).doesNotExist();
    }

    @Test
    void rejectCountsEveryProgramWhoseTurnCannotRun() throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", SWE, "--set", "engine.max_model_len=4096",
                "--set", "programs.on_unservable=reject", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        // Every swe-bench program's context outgrows 4,096 tokens: all 50 end rejected, none completes (count is
        // the completed programs), and the turns before the long one did run.
        JsonNode s = summary(out);
        assertThat(s.path("programs").path("rejected").asLong()).isEqualTo(50);
        assertThat(s.path("programs").path("count").asLong()).isZero();
        assertThat(s.path("turns").path("rejected").asLong()).isEqualTo(50);
        assertThat(s.path("turns").path("count").asLong()).isPositive();
    }

    @Test
    void aWorldCallLongerThanMaxModelLenStopsTheRunOrIsRejected() throws IOException {
        Path out = tmp.resolve("out");
        assertOneLineExit2(CliRunner.run("run", WORLD, "--set", "engine.max_model_len=1300", "--out", out.toString()),
                "agent 4 call 1 needs 1355 tokens", "world.on_unservable: reject");
        assertThat(out).doesNotExist();
        CliRunner.Result r = CliRunner.run("run", WORLD, "--set", "engine.max_model_len=1300",
                "--set", "world.on_unservable=reject", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        long rejected = summary(out).path("world").path("rejected_calls").asLong();
        assertThat(rejected).isPositive();
        assertThat(summary(out).path("programs").path("rejected").asLong()).isEqualTo(0);
    }

    @Test
    void anUnknownOnUnservableValueIsRefused() {
        assertOneLineExit2(CliRunner.run("run", WORLD, "--set", "world.on_unservable=maybe", "--out",
                tmp.resolve("o").toString()), "world.on_unservable: expected error or reject, got 'maybe'");
        assertOneLineExit2(CliRunner.run("run", SWE, "--set", "programs.on_unservable=skip", "--out",
                tmp.resolve("o").toString()), "programs.on_unservable: expected error or reject, got 'skip'");
    }

    @Test
    void anEmptyFlatTraceIsBadInput() throws IOException {
        Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n\n");
        Path out = tmp.resolve("out");
        assertOneLineExit2(CliRunner.run("run", "examples/rtx4090-llama8b-sharegpt.yaml", "--workload",
                empty.toString(), "--out", out.toString()), "empty.jsonl", "no requests: the trace is empty");
        assertThat(out).doesNotExist();
    }

    @Test
    void anEmptyProgramTraceIsBadInput() throws IOException {
        Path empty = Files.writeString(tmp.resolve("agents.jsonl"), "");
        Path out = tmp.resolve("out");
        assertOneLineExit2(CliRunner.run("run", "examples/agents/route-affinity.yaml", "--set",
                "programs.synthetic=null", "--set", "programs.trace=" + empty, "--set", "programs.format=agentic",
                "--out", out.toString()), "agents.jsonl", "no programs: the trace is empty");
        assertThat(out).doesNotExist();
    }

    @Test
    void theManifestRecordsTheResolvedConfigWithOverridesAndDefaults() throws IOException {
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", WORLD, "--set", "engine.max_num_seqs=64", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode m = JSON.readTree(Files.readString(out.resolve("manifest.json")));
        assertThat(m.path("config").path("engine").path("max_num_seqs").asInt()).isEqualTo(64);
        assertThat(m.path("config").path("engine").path("block_size").asInt()).isEqualTo(16); // a reference default
        assertThat(m.path("config").path("world").path("on_unservable").asString()).isEqualTo("error");
        assertThat(m.path("seed").asLong()).isEqualTo(3);
    }
}
