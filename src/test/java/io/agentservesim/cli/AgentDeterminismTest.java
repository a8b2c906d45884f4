package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An agent simulation with the same config and seed writes byte-identical outputs. */
class AgentDeterminismTest {
    @TempDir
    Path tmp;

    @Test
    void twoRunsOfAFourInstanceAgentClusterAreByteIdentical() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertThat(CliRunner.run("run", "examples/agents/route-affinity.yaml", "--out", a.toString()).exitCode()).isZero();
        assertThat(CliRunner.run("run", "examples/agents/route-affinity.yaml", "--out", b.toString()).exitCode()).isZero();
        for (String f : new String[] {"turns.csv", "programs.csv", "timeseries.csv", "summary.json"}) {
            assertThat(Files.readAllBytes(a.resolve(f))).as(f).isEqualTo(Files.readAllBytes(b.resolve(f)));
        }
        assertThat(Files.readAllLines(a.resolve("turns.csv")).size()).isGreaterThan(1000);
    }
}
