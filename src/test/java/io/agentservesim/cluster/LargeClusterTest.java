package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster of 2,048 instances runs to the end: each instance registers two event targets (engine and KV
 * residency), so the kernel's former cap of 1,024 targets stopped clusters at about 510 instances.
 * Round-robin spreads 2,048 one-turn programs over all instances, one each.
 */
class LargeClusterTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void twoThousandFortyEightInstancesServeEveryProgram() throws IOException {
        Path f = tmp.resolve("cluster.yaml");
        Files.writeString(f, "model: " + REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware:\n  profile: " + REPO.resolve("data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16") + "\n"
                + "engine:\n  num_gpu_blocks: 64\n"
                + "programs:\n  synthetic:\n    preset: chat\n    num_programs: 2048\n    programs_per_sec: 1000\n"
                + "    turns: {type: fixed, tokens: 1}\n    first_prompt_tokens: {type: fixed, tokens: 100}\n"
                + "    output_tokens: {type: fixed, tokens: 8}\n"
                + "cluster:\n  instances: 2048\n  router: round-robin\nseed: 3\n");
        Path out = tmp.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        int code;
        try {
            System.setOut(new PrintStream(java.io.OutputStream.nullOutputStream()));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute("run", f.toString(), "--out", out.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> turns = Files.readAllLines(out.resolve("turns.csv"));
        int instanceCol = List.of(turns.get(0).split(",")).indexOf("instance");
        int outputCol = List.of(turns.get(0).split(",")).indexOf("output_tokens");
        Set<String> used = new HashSet<>();
        for (String row : turns.subList(1, turns.size())) {
            String[] c = row.split(",", -1);
            used.add(c[instanceCol]);
            assertThat(c[outputCol]).isEqualTo("8");
        }
        assertThat(turns).hasSize(2049);
        assertThat(used).hasSize(2048);
        assertThat(Files.readAllLines(out.resolve("programs.csv"))).hasSize(2049)
                .allMatch(row -> !row.endsWith(",true"));
    }
}
