package io.agentservesim.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.config.ModelLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * AgentServe's Llama-3-8B: the same weights and KV per token as Llama-3.1-8B (whose profiles the AgentServe study
 * runs on), with the 8,192-token context that makes max_model_len default to 8192.
 */
class Llama3ConfigTest {
    private static final Path LLAMA3 = Path.of("data/models/meta-llama/Meta-Llama-3-8B.json");
    private static final Path LLAMA31 = Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json");

    @Test
    void sameShapeAsLlama31ShorterContext() {
        ModelShape m3 = ModelShape.load(LLAMA3);
        ModelShape m31 = ModelShape.load(LLAMA31);
        // 32 layers x 2 (K, V) x 8 KV heads x 128 head dim x 2 bytes = 131,072 bytes per token.
        assertThat(m3.kvBytesPerToken()).isEqualTo(131_072L).isEqualTo(m31.kvBytesPerToken());
        assertThat(m3.weightBytes()).isEqualTo(m31.weightBytes());
        assertThat(m3.paramCount()).isBetween(8_000_000_000L, 8_100_000_000L);
        assertThat(ModelLimits.maxPositionEmbeddings(LLAMA3)).isEqualTo(8192);
        assertThat(ModelLimits.maxPositionEmbeddings(LLAMA31)).isEqualTo(131072);
    }
}
