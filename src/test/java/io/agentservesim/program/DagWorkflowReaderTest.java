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

class DagWorkflowReaderTest {
    private static final String TRACE = """
            {"workflow_id": "wf-1", "arrival_time_ns": 0, "nodes": [{"node_id": "plan", "input_toks": 900, "output_toks": 120}, {"node_id": "search", "input_toks": 1100, "output_toks": 60, "tool_name": "web", "model": "m"}, {"node_id": "merge", "input_toks": 1500, "output_toks": 200}], "edges": [{"src": "plan", "dst": "search", "delay_ns": 0}, {"src": "plan", "dst": "merge", "delay_ns": 5000000}, {"src": "search", "dst": "merge", "delay_ns": 2000000, "message_bytes": 10}]}
            {"arrival_time_ns": 10, "nodes": [{"id": 7, "input_toks": 5, "output_toks": 1}, {"id": 8, "input_toks": 6, "output_toks": 1}], "edges": [{"from": 7, "to": 8}]}
            """;

    @TempDir
    Path dir;

    @Test
    void readsNodesAndEdgesAsParentsWithDelays() throws IOException {
        List<Program> programs = readAll(Files.writeString(dir.resolve("dag.jsonl"), TRACE));

        Program wf = programs.get(0);
        assertThat(wf.name()).isEqualTo("wf-1");
        assertThat(wf.turn(0).isRoot()).isTrue();
        assertThat(wf.turn(1).parents()).containsExactly(0);
        assertThat(wf.turn(1).toolName()).isEqualTo("web");
        assertThat(wf.turn(2).parents()).containsExactly(0, 1);
        assertThat(wf.turn(2).parentDelayNs()).containsExactly(5_000_000L, 2_000_000L);
        assertThat(wf.isChain()).isFalse();
        assertThat(wf.topologicalOrder()).containsExactly(0, 1, 2);

        Program aliases = programs.get(1);
        assertThat(aliases.name()).isEqualTo("workflow-1");
        assertThat(aliases.turn(1).parents()).containsExactly(0);
        assertThat(aliases.turn(1).parentDelayNs()).containsExactly(0L);
    }

    @Test
    void gzipAndPlainReadTheSame() throws IOException {
        Path gz = dir.resolve("dag.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(TRACE.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(readAll(gz)).isEqualTo(readAll(Files.writeString(dir.resolve("p.jsonl"), TRACE)));
    }

    @Test
    void cycleIsReportedWithItsNodeIds() throws IOException {
        Path file = Files.writeString(dir.resolve("cycle.jsonl"), """
                {"arrival_time_ns": 0, "nodes": [{"node_id": "a", "input_toks": 1, "output_toks": 1}, {"node_id": "b", "input_toks": 1, "output_toks": 1}, {"node_id": "c", "input_toks": 1, "output_toks": 1}], "edges": [{"src": "a", "dst": "b"}, {"src": "b", "dst": "c"}, {"src": "c", "dst": "b"}]}
                """);
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(InputException.class)
                .hasMessage(file + ":1: dependency cycle: \"b\" -> \"c\" -> \"b\" (expected an acyclic graph)");
    }

    @Test
    void unknownParentNegativeDelayAndCorruptRowFailWithLine() throws IOException {
        Path unknown = Files.writeString(dir.resolve("u.jsonl"), """
                {"arrival_time_ns": 0, "nodes": [{"node_id": "a", "input_toks": 1, "output_toks": 1}], "edges": [{"src": "z", "dst": "a"}]}
                """);
        assertThatThrownBy(() -> readAll(unknown)).hasMessage(unknown
                + ":1: edges[0].src: unknown node \"z\" (expected one of the node ids)");
        Path negative = Files.writeString(dir.resolve("n.jsonl"), """
                {"arrival_time_ns": 0, "nodes": [{"node_id": "a", "input_toks": 1, "output_toks": 1}, {"node_id": "b", "input_toks": 1, "output_toks": 1}], "edges": [{"src": "a", "dst": "b", "delay_ns": -1}]}
                """);
        assertThatThrownBy(() -> readAll(negative)).hasMessage(negative
                + ":1: edges[0].delay_ns: expected a non-negative integer, got -1");
        Path corrupt = Files.writeString(dir.resolve("c.jsonl"), """
                {"arrival_time_ns": 0, "nodes": [{"node_id": "a", "input_toks": 1, "output_toks": 1}]}

                {"arrival_time_ns": 0, "nodes": [{"node_id": "a", "input_toks": "many", "output_toks": 1}]}
                """);
        assertThatThrownBy(() -> readAll(corrupt)).hasMessage(corrupt
                + ":3: nodes[0].input_toks: expected a non-negative integer, got the string \"many\"");
    }

    static List<Program> readAll(Path file) {
        List<Program> out = new ArrayList<>();
        try (ProgramSource reader = DagWorkflowReader.open(file)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }
}
