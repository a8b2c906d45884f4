package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agent workloads from traces, by hand-checkable numbers, and their bad inputs: a DAG cycle, a negative
 * gap, an unknown policy name each end with exit 2 and one line naming the file; a turn larger than the
 * whole KV pool is rejected at arrival and counted, as vLLM rejects it.
 */
class AgentInputTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private Path config(String programsSection, String extra) throws IOException {
        Path f = tmp.resolve("agents.yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16") + "\n"
                + "engine:\n  num_gpu_blocks: 200\n" + programsSection + extra);
        return f;
    }

    private Path trace(String name, String body) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, body);
        return f;
    }

    private record Result(int code, String err) {
    }

    private Result run(Path config, Path outDir) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(Main.execute("run", config.toString(), "--out", outDir.toString()),
                    err.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void aChainFromAnAgenticTraceRunsTurnAfterTurnWithItsToolGap() throws IOException {
        Path t = trace("s.jsonl", "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": 2000000000},"
                + "{\"input_toks\": 150, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        Path out = tmp.resolve("out");
        Result r = run(config("programs:\n  trace: " + t + "\n", ""), out);
        assertThat(r.code()).as(r.err()).isZero();
        java.util.List<String> turns = Files.readAllLines(out.resolve("turns.csv"));
        assertThat(turns).hasSize(3);
        String[] first = turns.get(1).split(",");
        String[] second = turns.get(2).split(",");
        long firstEnd = Long.parseLong(first[3]) + Long.parseLong(first[8]);
        // The second turn arrives exactly 2 s after the first one's last token.
        assertThat(Long.parseLong(second[3])).isEqualTo(firstEnd + 2_000_000_000L);
        JsonNode s = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(s.path("programs").path("count").asInt()).isEqualTo(1);
        assertThat(s.path("turns").path("count").asInt()).isEqualTo(2);
    }

    @Test
    void aTurnLargerThanTheKvPoolIsRejectedAndCounted() throws IOException {
        // 200 blocks of 16 tokens: a 5,000-token turn can never fit.
        Path t = trace("s.jsonl", "{\"session_id\": \"small\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n"
                + "{\"session_id\": \"huge\", \"arrival_time_ns\": 10, \"sub_requests\": ["
                + "{\"input_toks\": 5000, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        Path out = tmp.resolve("out");
        // By default such a turn is bad input, as a flat request is: one line naming the program and turn.
        Result refused = run(config("programs:\n  trace: " + t + "\n", ""), out);
        assertThat(refused.code()).as(refused.err()).isEqualTo(2);
        assertThat(refused.err()).contains("program huge turn 0 needs 313 KV blocks but the pool holds only 199");
        assertThat(out).doesNotExist();
        // With on_unservable: reject it is counted, as vLLM's API server rejects it.
        Result r = run(config("programs:\n  trace: " + t + "\n  on_unservable: reject\n", ""), out);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode s = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json")));
        assertThat(s.path("programs").path("count").asInt()).isEqualTo(1);
        assertThat(s.path("programs").path("rejected").asInt()).isEqualTo(1);
    }

    @Test
    void aDagCycleIsRefusedNamingFileAndLine() throws IOException {
        Path t = trace("dag.jsonl", "{\"workflow_id\": \"w\", \"arrival_time_ns\": 0, \"nodes\": ["
                + "{\"node_id\": \"a\", \"input_toks\": 10, \"output_toks\": 2},"
                + "{\"node_id\": \"b\", \"input_toks\": 10, \"output_toks\": 2}],"
                + " \"edges\": [{\"src\": \"a\", \"dst\": \"b\"}, {\"src\": \"b\", \"dst\": \"a\"}]}\n");
        Path out = tmp.resolve("out");
        Result r = run(config("programs:\n  trace: " + t + "\n  format: dag\n", ""), out);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("dag.jsonl:1").containsIgnoringCase("cycle").hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void aNegativeGapIsRefused() throws IOException {
        Path t = trace("s.jsonl", "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": -5},"
                + "{\"input_toks\": 150, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        Result r = run(config("programs:\n  trace: " + t + "\n", ""), tmp.resolve("out"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("s.jsonl:1").contains("tool_duration_ns").hasLineCount(1);
    }

    @Test
    void unknownPolicyNamesAreRefusedWithTheValidOnes() throws IOException {
        Path t = trace("s.jsonl", "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        String programs = "programs:\n  trace: " + t + "\n";
        Result retention = run(config(programs, "kv:\n  retention: keep-forever\n"), tmp.resolve("o1"));
        assertThat(retention.code()).isEqualTo(2);
        assertThat(retention.err()).contains("kv.retention").contains("continuum", "infercept", "saga");
        Result router = run(config(programs, "cluster:\n  router: closest\n"), tmp.resolve("o2"));
        assertThat(router.code()).isEqualTo(2);
        assertThat(router.err()).contains("cluster.router").contains("affinity", "prefix-aware");
        Result sched = run(config(programs, "scheduling:\n  policy: sjf\n"), tmp.resolve("o3"));
        assertThat(sched.code()).isEqualTo(2);
        assertThat(sched.err()).contains("scheduling.policy").contains("plas", "pinned-first");
        Result tier = run(config(programs, "kv:\n  retention: offload\n"), tmp.resolve("o4"));
        assertThat(tier.code()).isEqualTo(2);
        assertThat(tier.err()).contains("kv.retention").contains("host tier");
    }

    @Test
    void policySettingsSectionsAreBoundStrictlyNamingTheField() throws IOException {
        Path t = trace("s.jsonl", "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        String programs = "programs:\n  trace: " + t + "\n";
        Result ok = run(config(programs, "kv:\n  retention: gate\n  settings:\n    gate:\n      tau_s: 3.5\n"
                + "scheduling:\n  policy: gate\n  settings:\n    gate:\n      context_band_tokens: 500\n"), tmp.resolve("ok"));
        assertThat(ok.code()).as(ok.err()).isZero();
        Result key = run(config(programs, "kv:\n  settings:\n    gate:\n      tau: 3\n"), tmp.resolve("o1"));
        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).contains("kv.settings.gate.tau").contains("tau_s", "long_gap_factor").hasLineCount(1);
        Result value = run(config(programs, "scheduling:\n  settings:\n    gate:\n      hold_above_utilization: 1.5\n"),
                tmp.resolve("o2"));
        assertThat(value.code()).isEqualTo(2);
        assertThat(value.err()).contains("scheduling.settings.gate").contains("hold_above_utilization").hasLineCount(1);
        Result name = run(config(programs, "kv:\n  settings:\n    gait:\n      tau_s: 3\n"), tmp.resolve("o3"));
        assertThat(name.code()).isEqualTo(2);
        assertThat(name.err()).contains("kv.settings.gait").contains("no such policy").contains("gate");
        assertThat(tmp.resolve("o1")).doesNotExist();
    }

    @Test
    void badAgentServeSettingsAndClosedLoopsAreRefusedNamingTheField() throws IOException {
        Path t = trace("s.jsonl", "{\"session_id\": \"a\", \"arrival_time_ns\": 0, \"sub_requests\": ["
                + "{\"input_toks\": 100, \"output_toks\": 4, \"tool_duration_ns\": 0}]}\n");
        String programs = "programs:\n  trace: " + t + "\n";
        Result share = run(config(programs, "scheduling:\n  policy: agentserve\n  settings:\n    agentserve:\n"
                + "      r_min: 0.25\n"), tmp.resolve("o1"));
        assertThat(share.code()).isEqualTo(2);
        assertThat(share.err()).contains("agents.yaml").contains("scheduling.settings.agentserve").contains("r_min")
                .contains("0.25").hasLineCount(1);
        Result budget = run(config(programs, "scheduling:\n  policy: agentserve\n  settings:\n    agentserve:\n"
                + "      b_prefill: 8000\n"), tmp.resolve("o2"));
        assertThat(budget.code()).isEqualTo(2);
        assertThat(budget.err()).contains("b_prefill <= b_prefill_max").hasLineCount(1);
        Result loop = run(config("programs:\n  trace: " + t + "\n  closed_loop_agents: -2\n", ""), tmp.resolve("o3"));
        assertThat(loop.code()).isEqualTo(2);
        assertThat(loop.err()).contains("programs.closed_loop_agents").contains(">= 0").hasLineCount(1);
        assertThat(Files.exists(tmp.resolve("o1"))).isFalse();
    }
}
