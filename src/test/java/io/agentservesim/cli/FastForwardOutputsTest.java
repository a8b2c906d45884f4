package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.engine.EngineInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decode fast-forward changes no output byte: flat and agent examples (one instance and a routed cluster,
 * power, prefix caching with token ids) run with it off ({@code -Dasim.fastForward=false}) and on, and every file
 * they write is compared (wall-clock lines and the output folder's path aside, as in ExampleOutputHashesTest).
 */
class FastForwardOutputsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"examples/synthetic-rtxpro6000.yaml", "examples/rtx4090-llama8b-sharegpt.yaml",
            "examples/energy-per-token.yaml", "examples/agents/fcfs.yaml", "examples/agents/swe-stock-lru.yaml",
            "examples/agents/route-affinity.yaml"})
    void everyOutputFileIsByteIdenticalWithFastForwardOnAndOff(String example) throws IOException {
        Path off = run(example, false);
        Path on = run(example, true);
        List<String> names = names(off);
        assertThat(names).isNotEmpty().containsExactlyElementsOf(names(on));
        for (String name : names) {
            assertThat(ExampleOutputHashesTest.normalized(on.resolve(name), on))
                    .as(example + ": " + name)
                    .isEqualTo(ExampleOutputHashesTest.normalized(off.resolve(name), off));
        }
    }

    private Path run(String example, boolean fastForward) {
        Path out = tmp.resolve(fastForward ? "on" : "off");
        String before = System.getProperty(EngineInstance.FAST_FORWARD_PROPERTY);
        System.setProperty(EngineInstance.FAST_FORWARD_PROPERTY, Boolean.toString(fastForward));
        try {
            CliRunner.Result r = CliRunner.run("run", example, "--out", out.toString());
            assertThat(r.exitCode()).as(example + ": " + r.err()).isZero();
        } finally {
            if (before == null) {
                System.clearProperty(EngineInstance.FAST_FORWARD_PROPERTY);
            } else {
                System.setProperty(EngineInstance.FAST_FORWARD_PROPERTY, before);
            }
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
