package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The examples in examples/pd show their outcomes: prefill/decode disaggregation trades TTFT for TPOT
 * against the same GPUs co-located, its TTFT splits exactly into queueing, prefill and KV transfer, each
 * transfer takes at least its bytes over the link; a heterogeneous cluster uses both GPUs and the faster
 * one decodes faster; the same config gives byte-identical outputs.
 */
class PdExamplesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** pd_link of pd-disaggregated.yaml: 50 GB/s, 10 us. */
    private static final double LINK_BYTES_PER_NS = 50.0;
    private static final long LINK_LATENCY_NS = 10_000;

    @TempDir
    static Path out;

    private static PrintStream stdout;

    @BeforeAll
    static void quiet() {
        stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void restore() {
        System.setOut(stdout);
    }

    private static Path run(String name, String dirName) {
        Path dir = out.resolve(dirName);
        if (!Files.exists(dir.resolve("summary.json"))) {
            int code = Main.execute("run", "examples/pd/" + name + ".yaml", "--out", dir.toString());
            assertThat(code).as(name).isZero();
        }
        return dir;
    }

    private static JsonNode summary(Path dir) throws IOException {
        return JSON.readTree(Files.readString(dir.resolve("summary.json")));
    }

    private static List<Map<String, String>> turns(Path dir) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("turns.csv"));
        String[] header = lines.get(0).split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], v[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static long l(Map<String, String> row, String column) {
        return Long.parseLong(row.get(column));
    }

    private static double ms(JsonNode s, String metric, String stat) {
        return s.path("turns").path(metric).path(stat).asDouble();
    }

    @Test
    void disaggregationLowersTpotAndRaisesTtftAgainstTheSameGpusColocated() throws IOException {
        JsonNode pd = summary(run("pd-disaggregated", "pd"));
        JsonNode colocated = summary(run("pd-colocated", "colocated"));
        assertThat(pd.path("turns").path("count").asLong()).isEqualTo(colocated.path("turns").path("count").asLong())
                .isPositive();
        // Decode steps without prefill chunks in them: lower TPOT, and far lower at the tail.
        assertThat(ms(pd, "tpot_ms", "mean")).isLessThan(ms(colocated, "tpot_ms", "mean"));
        assertThat(ms(pd, "tpot_ms", "p99")).isLessThan(0.9 * ms(colocated, "tpot_ms", "p99"));
        // One GPU does every prefill and the KV must move: higher TTFT, from queueing for that GPU and the link.
        assertThat(ms(pd, "ttft_ms", "mean")).isGreaterThan(ms(colocated, "ttft_ms", "mean"));
        JsonNode split = pd.path("turns").path("ttft_split_ms");
        JsonNode coSplit = colocated.path("turns").path("ttft_split_ms");
        assertThat(split.path("transfer").asDouble()).isPositive();
        assertThat(split.path("queueing").asDouble()).isGreaterThan(coSplit.path("queueing").asDouble());
        assertThat(coSplit.path("transfer").asDouble()).isZero();
        for (JsonNode s : List.of(pd, colocated)) {
            JsonNode sp = s.path("turns").path("ttft_split_ms");
            double sum = sp.path("queueing").asDouble() + sp.path("prefill").asDouble() + sp.path("transfer").asDouble();
            assertThat(sum).isCloseTo(ms(s, "ttft_ms", "mean"), org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void everyDisaggregatedTurnSplitsItsTtftExactlyAndWaitsForItsKvBytes() throws IOException {
        List<Map<String, String>> rows = turns(run("pd-disaggregated", "pd"));
        assertThat(rows).isNotEmpty();
        long transferred = 0;
        for (Map<String, String> r : rows) {
            assertThat(l(r, "prefill_queue_ns") + l(r, "prefill_ns") + l(r, "kv_transfer_ns") + l(r, "decode_queue_ns"))
                    .isEqualTo(l(r, "ttft_ns"));
            assertThat(l(r, "prefill_instance")).isEqualTo(0); // the prefill group comes first
            if (l(r, "output_tokens") > 1) {
                assertThat(l(r, "instance")).isEqualTo(1);
                long bytes = l(r, "kv_transfer_bytes");
                // At most the prompt's KV (128 KiB per token for Llama-3.1-8B, TP1); less when the decode
                // instance already caches a prefix of it.
                assertThat(bytes).isLessThanOrEqualTo(l(r, "prompt_tokens") * 131_072L);
                if (bytes > 0) {
                    assertThat(l(r, "kv_transfer_ns"))
                            .isGreaterThanOrEqualTo(LINK_LATENCY_NS + (long) Math.floor(bytes / LINK_BYTES_PER_NS));
                }
                transferred += bytes;
            }
        }
        assertThat(transferred).isPositive();
        assertThat(summary(run("pd-disaggregated", "pd")).path("turns").path("kv_transfer_bytes").asLong())
                .isEqualTo(transferred);
    }

    @Test
    void theSameDisaggregatedConfigGivesByteIdenticalOutputs() throws IOException {
        Path a = run("pd-disaggregated", "pd");
        Path b = run("pd-disaggregated", "pd-again");
        for (String f : List.of("turns.csv", "programs.csv", "summary.json", "timeseries.csv")) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void aHeterogeneousClusterUsesBothGpusAndTheFasterOneDecodesFaster() throws IOException {
        List<Map<String, String>> rows = turns(run("heterogeneous", "heterogeneous"));
        long[] n = new long[2];
        double[] tpotSum = new double[2];
        for (Map<String, String> r : rows) {
            int i = (int) l(r, "instance");
            if (l(r, "output_tokens") > 1) {
                n[i]++;
                tpotSum[i] += l(r, "tpot_ns");
            }
        }
        assertThat(n[0]).as("RTX 4090 turns").isPositive();
        assertThat(n[1]).as("RTX PRO 6000 turns").isPositive();
        double tpot4090 = tpotSum[0] / n[0];
        double tpotPro6000 = tpotSum[1] / n[1];
        assertThat(tpotPro6000).isLessThan(0.8 * tpot4090);
        // Least-loaded routing sends more turns to the faster GPU, which drains its queue sooner.
        assertThat(n[1]).isGreaterThan(n[0]);
    }

    /**
     * Energy in a heterogeneous cluster: each instance draws the power of its own GPU. An idle interval
     * (nothing running or waiting) shows exactly that GPU's idle power plus the host CPU's 90 W: 20 W for
     * the RTX 4090, 30 W for the RTX PRO 6000 (data/hardware/gpus.yaml); no sample exceeds its own GPU's
     * TDP plus the host; and the GPU energy lies between both GPUs idle and both at TDP over the window.
     */
    @Test
    void aHeterogeneousClusterDrawsEachGpusOwnPower() throws IOException {
        Path dir = run("heterogeneous", "heterogeneous");
        JsonNode energy = summary(dir).path("energy");
        assertThat(energy.path("gpu").asString()).isEqualTo("mixed");
        assertThat(energy.path("instance_gpus").toString()).isEqualTo("[\"1 x rtx_4090\",\"1 x rtx_pro_6000_server\"]");
        double window = energy.path("window_s").asDouble();
        assertThat(energy.path("gpu_j").asDouble()).isBetween((20 + 30) * window, (450 + 600) * window);

        double[] idle = {20 + 90, 30 + 90};
        double[] max = {450 + 90, 600 + 90};
        int[] idleSamples = new int[2];
        List<String> lines = Files.readAllLines(dir.resolve("timeseries.csv"));
        List<String> header = List.of(lines.get(0).split(","));
        int inst = header.indexOf("instance");
        int running = header.indexOf("running");
        int waiting = header.indexOf("waiting");
        int power = header.indexOf("power_w");
        String previous0 = "";
        String previous1 = "";
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            int i = Integer.parseInt(v[inst]);
            double w = Double.parseDouble(v[power]);
            assertThat(w).as(line).isLessThanOrEqualTo(max[i]);
            // Idle for the whole interval: this sample and the previous one of the instance show nothing
            // running or waiting.
            String state = v[running] + "," + v[waiting];
            String before = i == 0 ? previous0 : previous1;
            if (state.equals("0,0") && before.equals("0,0")) {
                assertThat(w).as(line).isCloseTo(idle[i], org.assertj.core.data.Offset.offset(0.05));
                idleSamples[i]++;
            }
            if (i == 0) {
                previous0 = state;
            } else {
                previous1 = state;
            }
        }
        assertThat(idleSamples[0]).as("idle RTX 4090 samples").isPositive();
    }
}
