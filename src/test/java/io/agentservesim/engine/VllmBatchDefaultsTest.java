package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.engine.VllmBatchDefaults.UsageContext;
import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * vLLM's per-GPU batch defaults (EngineArgs.get_batch_defaults): >= 70 GiB and not an A100 gets 8192 / 1024
 * (API server) or 16384 / 1024 (offline); any other GPU 2048 / 256 or 8192 / 256; a value the user gave stays.
 */
class VllmBatchDefaultsTest {
    private static final long H100 = 85_899_345_920L; // 80 GiB
    private static final long RTX4090 = 25_250_627_584L; // what the shared RTX 4090 run's torch reported
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    private static VllmBatchDefaults api(long bytes, String name) {
        return VllmBatchDefaults.resolve(null, null, bytes, name, UsageContext.API_SERVER, 32768, true);
    }

    @Test
    void largeGpusGetTheLargeDefaultsButA100DoesNot() {
        VllmBatchDefaults h100 = api(H100, "NVIDIA H100 SXM5 80GB");
        assertThat(h100.maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(h100.maxNumSeqs()).isEqualTo(1024);
        VllmBatchDefaults a100 = api(H100, "NVIDIA A100-SXM4-80GB");
        assertThat(a100.maxNumBatchedTokens()).isEqualTo(2048);
        assertThat(a100.maxNumSeqs()).isEqualTo(256);
        VllmBatchDefaults rtx = api(RTX4090, "NVIDIA GeForce RTX 4090");
        assertThat(rtx.maxNumBatchedTokens()).isEqualTo(2048);
        assertThat(rtx.maxNumSeqs()).isEqualTo(256);
        assertThat(h100.describe()).contains("8192").contains("1024").contains("api_server").contains(">= 70 GiB");
    }

    @Test
    void offlineDefaultsAreLarger() {
        VllmBatchDefaults h100 = VllmBatchDefaults.resolve(null, null, H100, "H100", UsageContext.OFFLINE, 32768, true);
        assertThat(h100.maxNumBatchedTokens()).isEqualTo(16384);
        assertThat(h100.maxNumSeqs()).isEqualTo(1024);
        VllmBatchDefaults rtx = VllmBatchDefaults.resolve(null, null, RTX4090, "RTX 4090", UsageContext.OFFLINE, 32768, true);
        assertThat(rtx.maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(rtx.maxNumSeqs()).isEqualTo(256);
    }

    @Test
    void givenValuesStayAndCapADefaultedSequenceLimit() {
        // max_num_batched_tokens 512 given on an H100: max_num_seqs defaults to 1024, capped at the 512 tokens.
        VllmBatchDefaults b = VllmBatchDefaults.resolve(512, null, H100, "H100", UsageContext.API_SERVER, 32768, true);
        assertThat(b.maxNumBatchedTokens()).isEqualTo(512);
        assertThat(b.maxNumSeqs()).isEqualTo(512);
        VllmBatchDefaults both = VllmBatchDefaults.resolve(4096, 64, H100, "H100", UsageContext.API_SERVER, 32768, true);
        assertThat(both.maxNumBatchedTokens()).isEqualTo(4096);
        assertThat(both.maxNumSeqs()).isEqualTo(64);
        assertThat(both.describe()).contains("as configured");
    }

    @Test
    void withoutChunkedPrefillTheBudgetHoldsAWholePromptAndIsCappedBySequencesTimesLength() {
        VllmBatchDefaults unchunked = VllmBatchDefaults.resolve(null, null, H100, "H100", UsageContext.API_SERVER,
                32768, false);
        assertThat(unchunked.maxNumBatchedTokens()).isEqualTo(32768); // max(max_model_len 32768, 8192)
        // 256 sequences x max_model_len 4 = 1024 < 2048.
        VllmBatchDefaults tiny = VllmBatchDefaults.resolve(null, null, RTX4090, "RTX 4090", UsageContext.API_SERVER, 4,
                true);
        assertThat(tiny.maxNumBatchedTokens()).isEqualTo(1024);
        assertThat(tiny.maxNumSeqs()).isEqualTo(256);
    }

    private Path yaml(String hardware, String engine) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + ROOT.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware: " + hardware + "\n"
                + "engine: {num_gpu_blocks: 1000, max_model_len: 4096" + engine + "}\n"
                + "workload: {synthetic: {num_requests: 2, rate_per_sec: 1, input: {type: fixed, tokens: 16},"
                + " output: {type: fixed, tokens: 4}}}\n");
        return f;
    }

    @Test
    void aYamlWithoutTheKeysTakesTheDefaultOfItsGpu() throws IOException {
        EngineConfig h100 = ResolvedSimulation.load(yaml("{gpu: h100_sxm}", ""), null, null).engine();
        assertThat(h100.maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(h100.maxNumSeqs()).isEqualTo(1024);
        EngineConfig offline = ResolvedSimulation.load(yaml("{gpu: h100_sxm}", ", usage_context: offline"), null, null)
                .engine();
        assertThat(offline.maxNumBatchedTokens()).isEqualTo(16384);
        // The RTX 4090 profile's GPU (24 GiB): the small defaults.
        EngineConfig rtx = ResolvedSimulation.load(yaml("{profile: "
                + ROOT.resolve("data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16") + "}", ""), null, null)
                .engine();
        assertThat(rtx.maxNumBatchedTokens()).isEqualTo(2048);
        assertThat(rtx.maxNumSeqs()).isEqualTo(256);
        EngineConfig given = ResolvedSimulation.load(yaml("{gpu: h100_sxm}", ", max_num_seqs: 32"), null, null).engine();
        assertThat(given.maxNumSeqs()).isEqualTo(32);
        assertThat(given.maxNumBatchedTokens()).isEqualTo(8192);
    }

    @Test
    void anUnknownUsageContextIsAnErrorNamingTheField() throws IOException {
        Path f = yaml("{gpu: h100_sxm}", ", usage_context: batch");
        assertThatThrownBy(() -> ResolvedSimulation.load(f, null, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("engine.usage_context")
                .hasMessageContaining("api_server");
    }
}
