package io.agentservesim.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgenticSessionReaderTest {
    private static final String TRACE = """
            {"session_id": "task-0-run0", "arrival_time_ns": 4059740, "sub_requests": [{"input_toks": 4, "output_toks": 2, "tool_duration_ns": 127348767, "tool_name": "bash", "input_tok_ids": [1, 2, 3, 4]}, {"input_toks": 9, "output_toks": 3, "tool_duration_ns": 5}]}

            {"arrival_time_ns": 5000000, "sub_requests": [{"input_toks": 10, "output_toks": 1}, {"input_toks": 12, "output_toks": 1}, {"input_toks": 14, "output_toks": 1, "tool_duration_ns": 7}]}
            {"input_toks": 100, "output_toks": 20, "arrival_time_ns": 6000000}
            """;

    @TempDir
    Path dir;

    @Test
    void readsSessionsAsChainsWithTheGapAfterEachSubRequest() throws IOException {
        List<Program> programs = readAll(write("trace.jsonl", TRACE));

        assertThat(programs).hasSize(3);
        Program first = programs.get(0);
        assertThat(first.id()).isZero();
        assertThat(first.name()).isEqualTo("task-0-run0");
        assertThat(first.arrivalNs()).isEqualTo(4059740);
        assertThat(first.turn(0).isRoot()).isTrue();
        assertThat(first.turn(0).toolName()).isEqualTo("bash");
        assertThat(first.turn(0).promptTokenIds().toArray()).containsExactly(1, 2, 3, 4);
        assertThat(first.turn(1).parents()).containsExactly(0);
        assertThat(first.turn(1).parentDelayNs()).containsExactly(127348767L);
        assertThat(first.turn(1).inputTokens()).isEqualTo(9);

        Program second = programs.get(1);
        assertThat(second.name()).isEqualTo("session-1");
        assertThat(second.turn(1).parentDelayNs()).containsExactly(0L); // absent: 0, as LLMServingSim
        assertThat(second.turn(2).parentDelayNs()).containsExactly(0L);
        assertThat(second.turnCount()).isEqualTo(3); // the last tool_duration_ns (7) is ignored

        Program flat = programs.get(2);
        assertThat(flat.turnCount()).isEqualTo(1);
        assertThat(flat.turn(0).inputTokens()).isEqualTo(100);
    }

    @Test
    void gzipAndPlainReadTheSame() throws IOException {
        Path gz = dir.resolve("trace.data");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(TRACE.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(readAll(gz)).isEqualTo(readAll(write("plain.jsonl", TRACE)));
    }

    @Test
    void corruptRowFailsWithFileAndLine() throws IOException {
        Path file = write("bad.jsonl", """
                {"arrival_time_ns": 0, "sub_requests": [{"input_toks": 4, "output_toks": 2}]}
                {"arrival_time_ns": 1, "sub_requests": [{"input_toks": 4, "output_toks": 2}
                """);
        try (ProgramSource reader = AgenticSessionReader.open(file)) {
            assertThat(reader.next().arrivalNs()).isZero();
            assertThatThrownBy(reader::next).isInstanceOf(InputException.class)
                    .hasMessageStartingWith(file + ":2: malformed JSON");
        }
    }

    @Test
    void missingFieldNegativeDelayAndDecreasingArrivalAreNamed() throws IOException {
        assertFails("""
                {"arrival_time_ns": 0, "sub_requests": [{"output_toks": 2}]}
                """, ":1: sub_requests[0].input_toks: required key is missing");
        assertFails("""
                {"arrival_time_ns": 0, "sub_requests": [{"input_toks": 3, "output_toks": 2, "tool_duration_ns": -5}]}
                """, ":1: sub_requests[0].tool_duration_ns: expected a non-negative integer, got -5");
        assertFails("""
                {"arrival_time_ns": 9, "sub_requests": [{"input_toks": 3, "output_toks": 2}]}
                {"arrival_time_ns": 8, "sub_requests": [{"input_toks": 3, "output_toks": 2}]}
                """, ":2: arrival_time_ns: expected non-decreasing arrival times, got 8 after 9");
        assertFails("""
                {"arrival_time_ns": 0, "sub_requests": [{"input_toks": 3, "output_toks": 2, "tool": "x"}]}
                """, ":1: sub_requests[0]: unknown key \"tool\"");
        assertFails("""
                {"arrival_time_ns": 0, "sub_requests": [{"input_toks": 3, "output_toks": 2, "input_tok_ids": [1]}]}
                """, ":1: sub_requests[0].input_tok_ids: expected 3 ids (input_toks), got 1");
    }

    private void assertFails(String text, String expected) throws IOException {
        Path file = write("f" + System.identityHashCode(text) + ".jsonl", text);
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + expected);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    static List<Program> readAll(Path file) {
        List<Program> out = new ArrayList<>();
        try (ProgramSource reader = AgenticSessionReader.open(file)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }
}
