package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 §5: per-token latencies only when asked for, a progress bar only on a terminal (or with
 * --progress), and a one-line warning before a run projected to write more than --warn-output-gib.
 */
class LongRunOutputsTest {
    private static final String SYNTHETIC = "examples/synthetic-rtxpro6000.yaml";

    @TempDir
    Path tmp;

    @Test
    void perTokenLatenciesAreWrittenOnlyWithTheFlagAndChangeNothingElse() throws IOException {
        Path plain = tmp.resolve("plain");
        Path perToken = tmp.resolve("per-token");
        CliRunner.Result a = CliRunner.run("run", SYNTHETIC, "--out", plain.toString());
        CliRunner.Result b = CliRunner.run("run", SYNTHETIC, "--per-token", "--out", perToken.toString());
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(b.exitCode()).as(b.err()).isZero();
        List<String> rowsA = Files.readAllLines(plain.resolve("requests.csv"));
        List<String> rowsB = Files.readAllLines(perToken.resolve("requests.csv"));
        assertThat(rowsA).hasSize(2001).hasSameSizeAs(rowsB);
        for (int i = 1; i < rowsA.size(); i++) {
            String[] x = rowsA.get(i).split(",\"\\[|\\]\",");
            String[] y = rowsB.get(i).split(",\"\\[|\\]\",");
            assertThat(x[1]).as("ITL by default, row " + i).isEmpty();
            int outputTokens = Integer.parseInt(x[0].split(",")[4]);
            // one gap between each two of the output tokens
            assertThat(y[1].split(", ")).as("ITL with --per-token, row " + i).hasSize(outputTokens - 1);
            assertThat(x[0] + x[2]).as("the other columns").isEqualTo(y[0] + y[2]);
        }
        // summary.json keeps its ITL statistics either way, byte for byte.
        assertThat(Files.readString(plain.resolve("summary.json")).replaceAll("\"wall_[a-z_]+\": [0-9.]+", ""))
                .isEqualTo(Files.readString(perToken.resolve("summary.json")).replaceAll("\"wall_[a-z_]+\": [0-9.]+", ""));
        // The bulk of the file: leaving the lists out saves most of it.
        assertThat(Files.size(plain.resolve("requests.csv"))).isLessThan(Files.size(perToken.resolve("requests.csv")) / 5);
    }

    @Test
    void withoutATerminalNothingButTheResultsIsPrinted() {
        CliRunner.Result r = CliRunner.run("run", SYNTHETIC, "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void withProgressTheBarCountsEveryRequestAndTurn() {
        CliRunner.Result r = CliRunner.run("run", SYNTHETIC, "--progress", "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("requests", "2000/2000", "2,000 turns");
        // --no-progress wins over a terminal
        CliRunner.Result quiet = CliRunner.run("run", SYNTHETIC, "--no-progress", "--out", tmp.resolve("q").toString());
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void aRunProjectedOverTheLimitWarnsOnceBeforeItStarts() {
        // 2,000 requests x 340 bytes (110 requests.csv + 170 turns.csv + 60 programs.csv) = 0.65 MiB of tables, over a 0.5 MiB limit.
        CliRunner.Result r = CliRunner.run("run", SYNTHETIC, "--warn-output-gib", "0.00048828125",
                "--out", tmp.resolve("o").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).singleElement().asString()
                .startsWith("warning: this run will write about 0.6 MiB of tables (2,000 requests)");
        // the same run under the default 1 GiB limit says nothing
        assertThat(CliRunner.run("run", SYNTHETIC, "--out", tmp.resolve("p").toString()).err()).isEmpty();
    }

    @Test
    void aBillionRequestsProjectOverAGibAndAnAgentRunIsALowerBound() {
        assertThat(OutputSizeEstimate.warning(1_000_000_000L, true, false, 1L << 30))
                .startsWith("warning: this run will write about 316.6 GiB of tables (1,000,000,000 requests), over the 1.0 GiB");
        assertThat(OutputSizeEstimate.projectedBytes(1_000_000L, true, true)).isEqualTo(2_940_000_000L);
        assertThat(OutputSizeEstimate.warning(10_000_000L, false, false, 1L << 30)).startsWith("warning: this run will write at least");
        assertThat(OutputSizeEstimate.projectedBytes(-1, true, false)).isEqualTo(-1);
        assertThat(OutputSizeEstimate.projectedBytes(Long.MAX_VALUE / 2, true, true)).isEqualTo(Long.MAX_VALUE);
        assertThat(OutputSizeEstimate.warning(1000, true, true, 1L << 30)).isNull();
    }
}
