package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ValidateCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsEverySummaryRowAndWritesTheSameAsJson() throws IOException {
        String d = "data/llmservingsim/";
        Path json = tmp.resolve("v.json");
        CliRunner.Result r = CliRunner.run("validate", d + "runs/RTX4090/Llama-3.1-8B",
                "--workload", d + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--profile", d + "perf/RTX4090/meta-llama/Llama-3.1-8B/bf16",
                "--model", d + "models/meta-llama/Llama-3.1-8B.json", "--json", json.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("TTFT Mean", "TPOT P99", "Latency Median", "Diff%", "mean |Diff%|");
        JsonNode root = JsonMapper.builder().build().readTree(Files.readString(json));
        assertThat(root.propertyNames()).hasSize(15).contains("TTFT Mean", "TPOT Median", "Latency P99");
        JsonNode ttft = root.get("TTFT Mean");
        assertThat(ttft.get("real").asDouble()).isCloseTo(65456.6, org.assertj.core.data.Offset.offset(0.1));
        double sim = ttft.get("sim").asDouble();
        assertThat(ttft.get("diff_pct").asDouble()).isCloseTo((sim - 65456.6) / 65456.6 * 100,
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void stepModelRooflineNeedsNoProfile() {
        String d = "data/llmservingsim/";
        CliRunner.Result r = CliRunner.run("validate", d + "runs/RTXPRO6000/Llama-3.1-8B",
                "--workload", d + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--step-model", "roofline", "--model", d + "models/meta-llama/Llama-3.1-8B.json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("step times: roofline:rtx_pro_6000_server/Llama-3.1-8B/tp1");
    }

    @Test
    void phasesPrintsOneLinePerGroupAndRejectsZero() {
        String d = "data/llmservingsim/";
        String[] common = {"validate", d + "runs/RTX4090/Llama-3.1-8B",
                "--workload", d + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--profile", d + "perf/RTX4090/meta-llama/Llama-3.1-8B/bf16",
                "--model", d + "models/meta-llama/Llama-3.1-8B.json", "--phases"};
        CliRunner.Result r = CliRunner.run(concat(common, "3"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Requests", "0-99", "100-199", "200-299");
        CliRunner.Result bad = CliRunner.run(concat(common, "0"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("--phases: expected a number of groups >= 1");
    }

    private static String[] concat(String[] a, String last) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }

    @Test
    void badStepModelOrMissingProfileIsOneLineExitTwo() {
        String d = "data/llmservingsim/";
        CliRunner.Result r = CliRunner.run("validate", d + "runs/RTX4090/Llama-3.1-8B",
                "--workload", d + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--step-model", "magic", "--model", d + "models/meta-llama/Llama-3.1-8B.json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").contains("expected profile, roofline or kernel-tables");
        CliRunner.Result p = CliRunner.run("validate", d + "runs/RTX4090/Llama-3.1-8B",
                "--workload", d + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--model", d + "models/meta-llama/Llama-3.1-8B.json");
        assertThat(p.exitCode()).isEqualTo(2);
        assertThat(p.err()).contains("--profile BUNDLE_DIR is required");
    }
}
