package io.agentservesim.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** examples/energy-per-token.yaml through the CLI: energy fields with sane values, deterministic outputs. */
class EnergyExampleTest {
    @TempDir
    Path tmp;

    /** Runs the CLI with its console table swallowed; returns the exit code. */
    private static synchronized int run(String... args) {
        java.io.PrintStream old = System.out;
        try {
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            return Main.execute(args);
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void theExampleReportsEnergyPowerAndEnergyPerTokenWithinTheGpusRange() throws IOException {
        Path a = tmp.resolve("a");
        assertThat(run("run", "examples/energy-per-token.yaml", "--out", a.toString())).isZero();
        JsonNode summary = JsonMapper.builder().build().readTree(Files.readString(a.resolve("summary.json")));
        JsonNode e = summary.path("energy");
        assertThat(e.path("enabled").asBoolean()).isTrue();
        assertThat(e.path("gpu").asString()).isEqualTo("rtx_4090");
        double window = e.path("window_s").asDouble();
        assertThat(window).isCloseTo(summary.path("throughput").path("makespan_s").asDouble(), within(1e-3));
        // One RTX 4090 (idle 20 W, TDP 450 W) and a 90 W host CPU.
        assertThat(e.path("gpu_average_power_w").asDouble()).isBetween(20.0, 450.0);
        assertThat(e.path("average_power_w").asDouble()).isBetween(20.0 + 90.0, 450.0 + 90.0);
        assertThat(e.path("host_cpu_j").asDouble()).isCloseTo(90 * window, within(0.01));
        double joules = e.path("energy_j").asDouble();
        assertThat(joules).isCloseTo(e.path("average_power_w").asDouble() * window, within(0.1));
        long tokens = summary.path("total_output_tokens").asLong();
        assertThat(e.path("j_per_output_token").asDouble()).isCloseTo(joules / tokens, within(1e-3));
        // The GPU is neither idle nor flat out on average under this load.
        assertThat(e.path("gpu_average_power_w").asDouble()).isBetween(100.0, 400.0);

        List<String> power = Files.readAllLines(a.resolve("power.csv"));
        assertThat(power.get(0)).isEqualTo(PowerCsv.HEADER);
        // one row per second the window touches
        assertThat(power.size() - 1).isBetween((int) Math.ceil(window), (int) Math.ceil(window) + 1);
        double sum = 0;
        for (String line : power.subList(1, power.size())) {
            double w = Double.parseDouble(line.split(",")[2]);
            assertThat(w).isBetween(20.0 + 90.0, 450.0 + 90.0);
            sum += w;
        }
        assertThat(sum / (power.size() - 1)).isCloseTo(e.path("average_power_w").asDouble(), within(5.0));

        Path b = tmp.resolve("b");
        assertThat(run("run", "examples/energy-per-token.yaml", "--out", b.toString())).isZero();
        for (String f : new String[] {"summary.json", "power.csv", "requests.csv"}) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
        }
    }

    @Test
    void anAgentRunHasEnergyAndAPowerColumnInItsTimeSeries() throws IOException {
        Path out = tmp.resolve("agents");
        assertThat(run("run", "examples/agents/swe-tier-offload.yaml", "--out", out.toString())).isZero();
        JsonNode e = JsonMapper.builder().build().readTree(Files.readString(out.resolve("summary.json"))).path("energy");
        assertThat(e.path("enabled").asBoolean()).isTrue();
        assertThat(e.path("gpu").asString()).isEqualTo("rtx_pro_6000_server");
        // The example offloads every turn's KV to host DRAM: DRAM and link energy follow the bytes moved.
        assertThat(e.path("dram_j").asDouble()).isPositive();
        assertThat(e.path("link_j").asDouble()).isCloseTo(e.path("dram_j").asDouble() * 5 / 20, within(0.01));
        assertThat(e.path("gpu_average_power_w").asDouble()).isBetween(30.0, 600.0);
        List<String> series = Files.readAllLines(out.resolve("timeseries.csv"));
        assertThat(series.get(0)).endsWith(",power_w");
        double w = Double.parseDouble(series.get(series.size() / 2).substring(series.get(series.size() / 2).lastIndexOf(',') + 1));
        assertThat(w).isBetween(30.0 + 90.0, 600.0 + 90.0 + 50.0);
    }
}
