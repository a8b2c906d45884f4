package io.agentservesim.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The world trace format, by inline fixtures: what a good file means, and each corrupt row failing by its line. */
class WorldTraceReaderTest {
    private static final String HEADER = "{\"agents\": 4, \"shared_prefix_toks\": 32, \"persona_toks\": 100}\n";

    @TempDir
    Path tmp;

    private Path file(String body) throws IOException {
        Path f = tmp.resolve("world.jsonl");
        Files.writeString(f, body);
        return f;
    }

    private static List<WorldStep> readAll(Path f) {
        List<WorldStep> steps = new ArrayList<>();
        try (WorldTraceReader r = WorldTraceReader.open(f)) {
            AgentContexts ctx = new AgentContexts(r, 32000, 1, false);
            while (r.hasNext()) {
                steps.add(r.next(ctx));
            }
        }
        return steps;
    }

    @Test
    void stepsCarryCallsSortedByAgentAndHintsWithCallersAtZero() throws IOException {
        Path f = file(HEADER
                + "{\"step\": 0, \"calls\": [{\"agent\": 2, \"input_toks\": 150, \"output_toks\": 10},"
                + " {\"agent\": 0, \"input_toks\": 140, \"output_toks\": 20}], \"hints\": {\"1\": 3, \"2\": 0}}\n"
                + "\n"
                + "{\"step\": 1, \"calls\": []}\n");
        List<WorldStep> steps = readAll(f);
        assertThat(steps).hasSize(2);
        WorldStep s0 = steps.get(0);
        assertThat(s0.agents()).containsExactly(0, 2);
        assertThat(s0.inputTokens()).containsExactly(140, 150);
        assertThat(s0.outputTokens()).containsExactly(20, 10);
        assertThat(s0.hints().distance(0)).isZero();      // a caller, though not listed
        assertThat(s0.hints().distance(1)).isEqualTo(3);
        assertThat(s0.hints().distance(3)).isEqualTo(InvocationHints.UNKNOWN);
        assertThat(steps.get(1).calls()).isZero();
        assertThat(steps.get(1).hints().distance(1)).isEqualTo(InvocationHints.UNKNOWN);
        try (WorldTraceReader r = WorldTraceReader.open(f)) {
            assertThat(r.agents()).isEqualTo(4);
            assertThat(r.sharedPrefixTokens()).isEqualTo(32);
            assertThat(r.personaTokens(3)).isEqualTo(100);
            assertThat(r.memoryMaxTokens()).isNull();
        }
    }

    private void corrupt(String body, String... expected) throws IOException {
        Path f = file(body);
        assertThatThrownBy(() -> readAll(f)).isInstanceOf(InputException.class)
                .hasMessageContainingAll(expected).hasMessageNotContaining("\n");
    }

    @Test
    void eachCorruptRowFailsLoudlyNamingItsLine() throws IOException {
        String ok0 = "{\"step\": 0, \"calls\": []}\n";
        corrupt("", "world.jsonl:", "header");
        corrupt("{\"agents\": 0}\n", "world.jsonl:1:", "agents");
        corrupt("{\"agents\": 4, \"personas\": 3}\n", "world.jsonl:1:", "unknown key \"personas\"");
        corrupt(HEADER + ok0 + "{\"step\": 2, \"calls\": []}\n", "world.jsonl:3:", "step: expected 1");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [{\"agent\": 4, \"input_toks\": 5, \"output_toks\": 5}]}\n",
                "world.jsonl:2:", "calls[0].agent", "[0, 4)");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [{\"agent\": 1, \"input_toks\": 5, \"output_toks\": 5},"
                + " {\"agent\": 1, \"input_toks\": 6, \"output_toks\": 5}]}\n", "world.jsonl:2:", "calls twice");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [{\"agent\": 1, \"input_toks\": 0, \"output_toks\": 5}]}\n",
                "world.jsonl:2:", "calls[0].input_toks", ">= 1");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [{\"agent\": 1, \"output_toks\": 5}]}\n",
                "world.jsonl:2:", "calls[0].input_toks: required key is missing");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [{\"agent\": 1, \"input_toks\": 5, \"output_toks\": 5}],"
                + " \"hints\": {\"1\": 2}}\n", "world.jsonl:2:", "hints.1", "distance is 0");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [], \"hints\": {\"x\": 2}}\n", "world.jsonl:2:", "hints.x");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [], \"hints\": {\"2\": -1}}\n", "world.jsonl:2:", "hints.2",
                "non-negative");
        corrupt(HEADER + ok0 + "{\"step\": 1, \"calls\": [}\n", "world.jsonl:3:", "malformed JSON");
        corrupt(HEADER + "{\"step\": 0}\n", "world.jsonl:2:", "calls: required key is missing");
        corrupt(HEADER + "{\"step\": 0, \"calls\": [], \"actors\": []}\n", "world.jsonl:2:", "unknown key \"actors\"");
    }

    @Test
    void aMissingFileIsAnInputError() {
        assertThatThrownBy(() -> WorldTraceReader.open(tmp.resolve("none.jsonl")))
                .isInstanceOf(InputException.class).hasMessageContaining("none.jsonl").hasMessageContaining("not found");
    }
}
