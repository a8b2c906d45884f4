package io.agentservesim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelShapeTest {
    private static final Path MODELS = Path.of("data/llmservingsim/models");

    @Test
    void llama31_8bMatchesPublishedParameterCountAndKvSize() {
        ModelShape m = ModelShape.load(MODELS.resolve("meta-llama/Llama-3.1-8B.json"));
        assertThat(m.name()).isEqualTo("Llama-3.1-8B");
        assertThat(m.numLayers()).isEqualTo(32);
        assertThat(m.numKeyValueHeads()).isEqualTo(8);
        assertThat(m.headDim()).isEqualTo(128);
        assertThat(m.isMoe()).isFalse();
        assertThat(m.dtypeBytes()).isEqualTo(2);
        assertThat(m.kvBytesPerToken()).isEqualTo(131072);
        assertThat(m.kvBytesPerBlock(16)).isEqualTo(16 * 131072L);
        assertThat((double) m.paramCount()).isCloseTo(8.03e9, within(0.01e9));
        assertThat(m.weightBytes()).isEqualTo(2 * m.paramCount());
    }

    static Stream<Arguments> publishedSizes() {
        return Stream.of(
                Arguments.of("meta-llama/Llama-3.1-70B.json", 70.6e9, false),
                Arguments.of("Qwen/Qwen3-32B.json", 32.8e9, false),
                Arguments.of("Qwen/Qwen3-30B-A3B-Instruct-2507.json", 30.5e9, true),
                Arguments.of("mistralai/Mixtral-8x7B-v0.1.json", 46.7e9, true),
                Arguments.of("microsoft/Phi-mini-MoE-instruct.json", 7.6e9, true));
    }

    @ParameterizedTest
    @MethodSource("publishedSizes")
    void parameterCountIsWithinOnePercentOfPublished(String file, double published, boolean moe) {
        ModelShape m = ModelShape.load(MODELS.resolve(file));
        assertThat(m.isMoe()).isEqualTo(moe);
        assertThat((double) m.paramCount()).isCloseTo(published, within(published * 0.01));
    }

    @Test
    void moeFieldsAreReadFromTheirVariousKeys() {
        ModelShape qwen = ModelShape.load(MODELS.resolve("Qwen/Qwen3-30B-A3B-Instruct-2507.json"));
        assertThat(qwen.numExperts()).isEqualTo(128);
        assertThat(qwen.expertsPerToken()).isEqualTo(8);
        assertThat(qwen.moeIntermediateSize()).isEqualTo(768);
        assertThat(qwen.headDim()).isEqualTo(128);
        ModelShape mixtral = ModelShape.load(MODELS.resolve("mistralai/Mixtral-8x7B-v0.1.json"));
        assertThat(mixtral.numExperts()).isEqualTo(8);
        assertThat(mixtral.moeIntermediateSize()).isEqualTo(14336);
        ModelShape phi = ModelShape.load(MODELS.resolve("microsoft/Phi-mini-MoE-instruct.json"));
        assertThat(phi.name()).isEqualTo("Phi-mini-MoE");
    }

    @Test
    void tiedEmbeddingsDropTheLmHead(@TempDir Path dir) throws IOException {
        ModelShape untied = ModelShape.load(write(dir, "untied.json", minimal("false")));
        ModelShape tied = ModelShape.load(write(dir, "tied.json", minimal("true")));
        assertThat(untied.paramCount() - tied.paramCount()).isEqualTo(1000L * 64);
        assertThat(tied.numKeyValueHeads()).isEqualTo(4);
        assertThat(tied.headDim()).isEqualTo(16);
        assertThat(tied.dtypeBytes()).isEqualTo(4);
    }

    @Test
    void missingRequiredKeyNamesFileAndKey(@TempDir Path dir) throws IOException {
        Path file = write(dir, "cfg.json", minimal("false").replace("\"num_hidden_layers\": 2,", ""));
        assertThatThrownBy(() -> ModelShape.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": num_hidden_layers:")
                .hasMessageContaining("missing");
    }

    @Test
    void wrongTypeNamesFileAndKey(@TempDir Path dir) throws IOException {
        Path file = write(dir, "cfg.json", minimal("false").replace("\"hidden_size\": 64", "\"hidden_size\": \"64\""));
        assertThatThrownBy(() -> ModelShape.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": hidden_size: expected");
    }

    @Test
    void unknownDtypeAndMissingFileAreInputErrors(@TempDir Path dir) throws IOException {
        Path bad = write(dir, "cfg.json", minimal("false").replace("float32", "int4"));
        assertThatThrownBy(() -> ModelShape.load(bad)).isInstanceOf(InputException.class)
                .hasMessageContaining("torch_dtype");
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> ModelShape.load(missing)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(missing.toString());
    }

    private static String minimal(String tied) {
        return """
                {"model_type": "toy", "num_hidden_layers": 2, "hidden_size": 64,
                 "num_attention_heads": 4, "intermediate_size": 128, "vocab_size": 1000,
                 "torch_dtype": "float32", "tie_word_embeddings": %s}
                """.formatted(tied);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
