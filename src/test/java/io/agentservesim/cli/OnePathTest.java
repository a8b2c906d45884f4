package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flat request workloads run on the one run path, as one-turn programs. The LLMServingSim-format
 * requests.csv of the flat examples is byte for byte what the former single-engine runner wrote (the
 * hashes were taken from it, commit 2ef475f; it wrote per-token latencies, now asked for with --per-token),
 * and the same requests appear in turns.csv and programs.csv.
 */
class OnePathTest {
    @TempDir
    Path tmp;

    @Test
    void theFlatExamplesRequestsCsvIsUnchangedByTheOnePath() throws Exception {
        assertThat(sha256(run("examples/rtx4090-llama8b-sharegpt.yaml").resolve("requests.csv")))
                .isEqualTo("e4ce8781bfab48e9b17505898e552928754bb82921be6b51150062f80d2ef329");
        assertThat(sha256(run("examples/synthetic-rtxpro6000.yaml").resolve("requests.csv")))
                .isEqualTo("af787b1272971185c5e4684248be18480e0e0d303cb00f867b0bef6e250870d8");
    }

    @Test
    void eachFlatRequestIsAOneTurnProgramInEveryTable() throws IOException {
        Path out = run("examples/rtx4090-llama8b-sharegpt.yaml");
        List<String> requests = Files.readAllLines(out.resolve("requests.csv"));
        List<String> turns = Files.readAllLines(out.resolve("turns.csv"));
        List<String> programs = Files.readAllLines(out.resolve("programs.csv"));
        assertThat(turns).hasSize(requests.size());
        assertThat(programs).hasSize(requests.size());
        Map<String, String[]> turnById = new HashMap<>();
        for (String line : turns.subList(1, turns.size())) {
            String[] f = line.split(",", -1);
            assertThat(f[1]).as("turn index").isEqualTo("0");
            turnById.put(f[0], f);
        }
        Map<String, String[]> programById = new HashMap<>();
        for (String line : programs.subList(1, programs.size())) {
            String[] f = line.split(",", -1);
            programById.put(f[0], f);
        }
        for (String line : requests.subList(1, requests.size())) {
            // instance id, request id, model, input, output, arrival, end_time, latency, queuing_delay, TTFT, TPOT
            String[] r = line.split(",", -1);
            String[] t = turnById.get(r[1]);
            assertThat(t[3]).as("arrival").isEqualTo(r[5]);
            assertThat(t[4] + "," + t[5]).as("tokens").isEqualTo(r[3] + "," + r[4]);
            assertThat(t[6] + "," + t[7] + "," + t[8]).as("ttft, tpot, e2e").isEqualTo(r[9] + "," + r[10] + "," + r[7]);
            String[] p = programById.get(r[1]);
            assertThat(p[4]).as("JCT of a one-turn program = its E2E").isEqualTo(r[7]);
            assertThat(p[5]).isEqualTo("1");
        }
    }

    private Path run(String example) {
        Path out = tmp.resolve(Path.of(example).getFileName().toString());
        CliRunner.Result r = CliRunner.run("run", example, "--per-token", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return out;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
