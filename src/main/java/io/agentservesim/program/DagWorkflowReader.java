package io.agentservesim.program;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams DAG workflows (multi-agent programs): JSON Lines, one workflow per line. The format is the
 * one LLMServingSim's agentic fork already reads (rajibrhasan/agentservesim
 * {@code serving/core/router.py}, {@code _load_dag_workflow}, commit 5a73df7), so its files work here
 * unchanged:
 *
 * <pre>
 * {"workflow_id": "wf-1", "arrival_time_ns": 0,
 *  "nodes": [{"node_id": "plan", "input_toks": 900, "output_toks": 120},
 *            {"node_id": "search", "input_toks": 1100, "output_toks": 60, "tool_name": "web"},
 *            {"node_id": "merge", "input_toks": 1500, "output_toks": 200}],
 *  "edges": [{"src": "plan", "dst": "search", "delay_ns": 0},
 *            {"src": "plan", "dst": "merge", "delay_ns": 5000000},
 *            {"src": "search", "dst": "merge", "delay_ns": 2000000}]}
 * </pre>
 *
 * <ul>
 * <li>{@code workflow_id} optional (a nameless one is {@code workflow-<id>}); {@code arrival_time_ns}
 *     and {@code nodes} (non-empty) required; {@code edges} optional (none: every node is a root).</li>
 * <li>Node: {@code node_id} (string or integer; default its position), {@code input_toks},
 *     {@code output_toks} (>= 1), optional {@code input_tok_ids}, {@code output_tok_ids},
 *     {@code tool_name} (ours: the tool whose duration the outgoing delays are) and {@code model}
 *     (accepted and ignored: one model per simulation here).</li>
 * <li>Edge: {@code src} and {@code dst} node ids, optional {@code delay_ns} (>= 0, default 0) and
 *     {@code message_bytes} (accepted and ignored: no network between agents is modelled).</li>
 * <li>A node is ready at arrival when it has no incoming edge, otherwise at
 *     {@code max(parent completion + delay_ns)} ({@link ReadinessCalculator}).</li>
 * </ul>
 * Aliases {@code id}, {@code from}, {@code to} are accepted for {@code node_id}, {@code src},
 * {@code dst}. Errors read "FILE:LINE: what": malformed JSON, a missing key, an unknown node in an
 * edge, a duplicate node id, a negative delay, a cycle (listing its node ids), decreasing arrivals.
 */
public final class DagWorkflowReader {
    private static final String KEYS = "workflow_id, arrival_time_ns, nodes, edges";
    private static final String NODE_KEYS = "node_id, input_toks, output_toks, tool_name, input_tok_ids, output_tok_ids, model";
    private static final String EDGE_KEYS = "src, dst, delay_ns, message_bytes";

    private DagWorkflowReader() {
    }

    /** Streams the programs of {@code file} (plain or gzip); a missing or unreadable file is an InputException. */
    public static ProgramSource open(Path file) {
        return new JsonLinesPrograms(file, DagWorkflowReader::parse);
    }

    private record Node(String id, int input, int output, String toolName, int[] inputIds, int[] outputIds) {
    }

    private record Edge(String src, String dst, long delayNs) {
    }

    private static Program parse(JsonParser p, TraceLines lines, long id) {
        String workflowId = null;
        long arrival = -1;
        List<Node> nodes = null;
        List<Edge> edges = null;
        String key;
        while ((key = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            switch (key) {
                case "workflow_id" -> workflowId = once(workflowId, key, lines, JsonFields.id(p, value, key, lines));
                case "arrival_time_ns" -> {
                    if (arrival != -1) {
                        throw lines.fail(key + ": key appears twice");
                    }
                    arrival = JsonFields.nonNegativeLong(p, value, key, lines);
                }
                case "nodes" -> nodes = once(nodes, key, lines, readNodes(p, value, lines));
                case "edges" -> edges = once(edges, key, lines, readEdges(p, value, lines));
                default -> throw lines.fail("unknown key \"" + key + "\" (expected " + KEYS + ")");
            }
        }
        if (arrival == -1) {
            throw lines.fail("arrival_time_ns: required key is missing");
        }
        if (nodes == null) {
            throw lines.fail("nodes: required key is missing");
        }
        if (nodes.isEmpty()) {
            throw lines.fail("nodes: expected at least one node");
        }
        List<Node> named = nodes;
        List<Turn> turns = toTurns(named, edges == null ? List.of() : edges, lines);
        String problem = TurnGraph.problem(turns, i -> "\"" + named.get(i).id() + "\"");
        if (problem != null) {
            throw lines.fail(problem);
        }
        return new Program(id, workflowId != null ? workflowId : "workflow-" + id, arrival, turns);
    }

    private static List<Turn> toTurns(List<Node> nodes, List<Edge> edges, TraceLines lines) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (index.putIfAbsent(nodes.get(i).id(), i) != null) {
                throw lines.fail("nodes[" + i + "].node_id: duplicate node id \"" + nodes.get(i).id() + "\"");
            }
        }
        List<IntArrayList> parents = new ArrayList<>(nodes.size());
        List<LongArrayList> delays = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            parents.add(new IntArrayList(2));
            delays.add(new LongArrayList(2));
        }
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            Integer src = index.get(edge.src());
            Integer dst = index.get(edge.dst());
            if (src == null) {
                throw lines.fail("edges[" + e + "].src: unknown node \"" + edge.src() + "\" (expected one of the node ids)");
            }
            if (dst == null) {
                throw lines.fail("edges[" + e + "].dst: unknown node \"" + edge.dst() + "\" (expected one of the node ids)");
            }
            parents.get(dst).add(src.intValue());
            delays.get(dst).add(edge.delayNs());
        }
        List<Turn> turns = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            turns.add(new Turn(i, n.input(), n.output(),
                    n.inputIds() == null ? null : TokenIds.of(n.inputIds()),
                    n.outputIds() == null ? null : TokenIds.of(n.outputIds()),
                    n.toolName(), parents.get(i).toIntArray(), delays.get(i).toLongArray(), -1));
        }
        return turns;
    }

    private static List<Node> readNodes(JsonParser p, JsonToken value, TraceLines lines) {
        JsonFields.expect(value, JsonToken.START_ARRAY, "nodes", "an array of objects", p, lines);
        List<Node> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = "nodes[" + out.size() + "]";
            JsonFields.expect(t, JsonToken.START_OBJECT, at, "an object", p, lines);
            String nodeId = null;
            int input = -1;
            int output = -1;
            String tool = null;
            int[] inIds = null;
            int[] outIds = null;
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                String field = at + "." + key;
                switch (key) {
                    case "node_id", "id" -> nodeId = once(nodeId, field, lines, JsonFields.id(p, v, field, lines));
                    case "input_toks" -> input = onceInt(input, field, lines, JsonFields.tokenCount(p, v, field, lines));
                    case "output_toks" -> output = onceInt(output, field, lines, JsonFields.tokenCount(p, v, field, lines));
                    case "tool_name" -> tool = once(tool, field, lines, JsonFields.string(p, v, field, lines));
                    case "input_tok_ids" -> inIds = once(inIds, field, lines, JsonFields.tokenIds(p, v, field, lines));
                    case "output_tok_ids" -> outIds = once(outIds, field, lines, JsonFields.tokenIds(p, v, field, lines));
                    case "model" -> JsonFields.string(p, v, field, lines);
                    default -> throw lines.fail(at + ": unknown key \"" + key + "\" (expected " + NODE_KEYS + ")");
                }
            }
            if (input == -1) {
                throw lines.fail(at + ".input_toks: required key is missing");
            }
            if (output == -1) {
                throw lines.fail(at + ".output_toks: required key is missing");
            }
            if (inIds != null && inIds.length != input) {
                throw lines.fail(at + ".input_tok_ids: expected " + input + " ids (input_toks), got " + inIds.length);
            }
            if (outIds != null && outIds.length != output) {
                throw lines.fail(at + ".output_tok_ids: expected " + output + " ids (output_toks), got " + outIds.length);
            }
            out.add(new Node(nodeId != null ? nodeId : Integer.toString(out.size()), input, output, tool, inIds, outIds));
        }
        return out;
    }

    private static List<Edge> readEdges(JsonParser p, JsonToken value, TraceLines lines) {
        JsonFields.expect(value, JsonToken.START_ARRAY, "edges", "an array of objects", p, lines);
        List<Edge> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = "edges[" + out.size() + "]";
            JsonFields.expect(t, JsonToken.START_OBJECT, at, "an object", p, lines);
            String src = null;
            String dst = null;
            long delay = -1;
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                String field = at + "." + key;
                switch (key) {
                    case "src", "from" -> src = once(src, field, lines, JsonFields.id(p, v, field, lines));
                    case "dst", "to" -> dst = once(dst, field, lines, JsonFields.id(p, v, field, lines));
                    case "delay_ns" -> {
                        if (delay != -1) {
                            throw lines.fail(field + ": key appears twice");
                        }
                        delay = JsonFields.nonNegativeLong(p, v, field, lines);
                    }
                    case "message_bytes" -> JsonFields.nonNegativeLong(p, v, field, lines);
                    default -> throw lines.fail(at + ": unknown key \"" + key + "\" (expected " + EDGE_KEYS + ")");
                }
            }
            if (src == null) {
                throw lines.fail(at + ".src: required key is missing");
            }
            if (dst == null) {
                throw lines.fail(at + ".dst: required key is missing");
            }
            out.add(new Edge(src, dst, delay == -1 ? 0 : delay));
        }
        return out;
    }

    private static <T> T once(T current, String field, TraceLines lines, T value) {
        if (current != null) {
            throw lines.fail(field + ": key appears twice");
        }
        return value;
    }

    private static int onceInt(int current, String field, TraceLines lines, int value) {
        if (current != -1) {
            throw lines.fail(field + ": key appears twice");
        }
        return value;
    }
}
