package io.agentservesim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.cli.CliRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Worlds whose agents run with LoRA adapters (examples/world/lora-*.yaml): adapter loads delay exactly the turns
 * that need them, no batch holds more than max_loras adapters, and the adapter pool's HBM comes out of the KV pool.
 */
class LoraWorldTest {
    private static final long ADAPTER_LOAD_NS = 12_928_457; // 10 us + ceil(322,961,408 B / 25 B/ns)
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    @TempDir
    static Path out;

    private static JsonNode run(String config, String name) throws IOException {
        Path dir = out.resolve(name);
        if (!Files.exists(dir.resolve("summary.json"))) {
            CliRunner.Result r = CliRunner.run("run", config, "--out", dir.toString());
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        return JSON.readTree(Files.readString(dir.resolve("summary.json")));
    }

    @Test
    void aTracedWorldsFirstCallsWaitForTheirAdaptersOverTheHostLink() throws IOException {
        JsonNode s = run("examples/world/lora-trace.yaml", "lora-trace");
        List<String> turns = Files.readAllLines(out.resolve("lora-trace").resolve("turns.csv"));
        String[] a0 = turns.stream().filter(r -> r.startsWith("0,0,")).findFirst().orElseThrow().split(",");
        String[] a3 = turns.stream().filter(r -> r.startsWith("3,0,")).findFirst().orElseThrow().split(",");
        // Step 0: agents 0 and 3 call; the prefetch round loads adapter 0, then adapter 3 behind it on the link.
        // Agent 0 waits exactly one adapter load (queueing_ns, column 10); agent 3's adapter lands at 2 loads
        // (25.86 ms), while agent 0's prefill step runs, so it is admitted at the step after it: agent 0's TTFT.
        assertThat(Long.parseLong(a0[9])).isEqualTo(ADAPTER_LOAD_NS);
        assertThat(Long.parseLong(a3[9])).isGreaterThanOrEqualTo(2 * ADAPTER_LOAD_NS).isEqualTo(Long.parseLong(a0[6]));
        JsonNode lora = s.path("world").path("lora");
        assertThat(lora.path("max_adapters_in_a_batch").asInt()).isEqualTo(2);
        assertThat(lora.path("bytes_per_adapter").asLong()).isEqualTo(322_961_408L);
        // 2 slots, 6 agents, 2 due agents per step: the round loads the 2 calling now and stops at the next.
        assertThat(s.path("world").path("prefetch_stops").asInt()).isPositive();
    }

    @Test
    void noBatchHoldsMoreThanMaxLorasAndTheAdapterSlotsComeOutOfTheKvPool() throws IOException {
        JsonNode s = run("examples/world/lora-plan-driven.yaml", "lora-plan");
        JsonNode lora = s.path("world").path("lora");
        assertThat(lora.path("gpu_slots").asInt()).isEqualTo(32);
        assertThat(lora.path("max_adapters_in_a_batch").asInt()).isEqualTo(32); // 100 adapters compete for 32
        assertThat(lora.path("slot_waits").asLong()).isPositive();
        // 80 GiB x 0.9 less 15.23 GB of weights holds 67,660 blocks of 16 tokens (917,504 B); 32 slots of
        // 322,961,408 B = 10,334,765,056 B = exactly 11,264 blocks: 56,396 are left.
        assertThat(lora.path("kv_blocks_beside_adapters").asLong()).isEqualTo(67_660 - 11_264);
        JsonNode space = run("examples/world/lora-space-driven.yaml", "lora-space");
        assertThat(space.path("world").path("lora").path("max_adapters_in_a_batch").asInt()).isBetween(1, 100);
        // An explicit KV budget without memory_gib is kept beside the adapters (SGLang's max_total_tokens).
        assertThat(space.path("world").path("lora").path("kv_blocks_beside_adapters").asLong()).isEqualTo(6250);
        // The baseline loads adapters only on demand.
        assertThat(space.path("world").path("lora").path("prefetched_adapters").asLong()).isZero();
    }

    @Test
    void badLoraSettingsAreRefusedNamingTheField(@TempDir Path tmp) throws IOException {
        String base = Files.readString(Path.of("examples/world/lora-trace.yaml"))
                .replace("../../data/", Path.of("data").toAbsolutePath() + "/")
                .replace("trace: trace.jsonl", "trace: " + Path.of("examples/world/trace.jsonl").toAbsolutePath());
        String good = "lora: {rank: 64, max_loras: 2, adapters: per-agent}";
        assertRefused(tmp, base.replace(good, "lora: {rank: 0}"), "lora.rank: expected an integer >= 1, got 0");
        assertRefused(tmp, base.replace(good, "lora: {target_modules: [qkv]}"), "lora.target_modules: 'qkv'");
        assertRefused(tmp, base.replace(good, "lora: {adapters: many}"), "lora.adapters: expected per-agent or an integer");
        assertRefused(tmp, base.replace(good, "lora: {max_cpu_loras: 4}"), "lora.max_cpu_loras: 4 cannot hold the 6");
        assertRefused(tmp, base.replace(good, "lora: {max_lora: 4}"), "lora.");
        assertRefused(tmp, base.replace(good, "lora: {max_loras: 2}\nhardware_x: 1").replace("hardware_x: 1", "")
                .replace("hardware:\n  gpu: h100_sxm", "hardware:\n  gpu: h100_sxm\n  memory_gib: 16"),
                "lora.max_loras: 2 adapter slots");
    }

    private static void assertRefused(Path tmp, String yaml, String message) throws IOException {
        Path file = tmp.resolve("bad.yaml");
        Files.writeString(file, yaml);
        Path out = tmp.resolve("out");
        CliRunner.Result r = CliRunner.run("run", file.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml").contains(message);
        assertThat(out).doesNotExist();
    }
}
