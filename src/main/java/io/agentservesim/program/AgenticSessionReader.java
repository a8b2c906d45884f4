package io.agentservesim.program;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Streams LLMServingSim's agentic workload: JSON Lines, one session per line, as specified in
 * casys-kaist/LLMServingSim {@code workloads/README.md} ("Agentic sessions") and loaded by its router
 * ({@code serving/core/router.py}, {@code _load_agentic_session} / {@code notify_request_completed};
 * read in the fork rajibrhasan/agentservesim, same file, commit 5a73df7):
 *
 * <pre>
 * {"session_id": "task-0-run0", "arrival_time_ns": 4059740, "sub_requests": [
 *    {"input_toks": 1472, "output_toks": 133, "tool_duration_ns": 127348767},
 *    {"input_toks": 1582, "output_toks": 125, "tool_duration_ns": 0}]}
 * </pre>
 *
 * Semantics mirrored exactly: the sub-requests form a chain; {@code input_toks} is the whole prompt of
 * that call (the grown context); {@code tool_duration_ns} is the wait AFTER that call completes before
 * the next one is released ({@code release = completion + tool_duration_ns}), so the last
 * sub-request's value is ignored (LLMServingSim writes 0 there); it defaults to 0 when absent, as the
 * router's {@code get('tool_duration_ns', 0)} does. {@code session_id} is optional there too (we name
 * a nameless session {@code session-<id>}). Optional per sub-request: {@code input_tok_ids},
 * {@code output_tok_ids}, and our addition {@code tool_name} (the tool called after this sub-request).
 * As in LLMServingSim, a line without {@code sub_requests} is a flat request ({@code input_toks},
 * {@code output_toks}, {@code arrival_time_ns}, optional ids) and becomes a one-turn program, so the
 * two kinds may share a file.
 *
 * <p>Stricter than LLMServingSim on purpose: unknown keys, an empty {@code sub_requests}, token
 * counts below 1, id arrays whose length disagrees with the count and decreasing arrival times are
 * all errors "FILE:LINE: what was expected" (LLMServingSim sorts arrivals; a streaming reader cannot).
 */
public final class AgenticSessionReader {
    private static final String KEYS = "session_id, arrival_time_ns, sub_requests";
    private static final String SUB_KEYS = "input_toks, output_toks, tool_duration_ns, tool_name, input_tok_ids, output_tok_ids";

    private AgenticSessionReader() {
    }

    /** Streams the programs of {@code file} (plain or gzip); a missing or unreadable file is an InputException. */
    public static ProgramSource open(Path file) {
        return new JsonLinesPrograms(file, AgenticSessionReader::parse);
    }

    private static Program parse(JsonParser p, TraceLines lines, long id) {
        String sessionId = null;
        long arrival = -1;
        List<SubRequest> subRequests = null;
        SubRequest flat = new SubRequest();
        boolean flatSeen = false;
        String key;
        while ((key = p.nextName()) != null) {
            JsonToken value = p.nextToken();
            switch (key) {
                case "session_id" -> sessionId = once(sessionId, key, lines, JsonFields.id(p, value, key, lines));
                case "arrival_time_ns" -> {
                    if (arrival != -1) {
                        throw lines.fail(key + ": key appears twice");
                    }
                    arrival = JsonFields.nonNegativeLong(p, value, key, lines);
                }
                case "sub_requests" -> subRequests = once(subRequests, key, lines, readSubRequests(p, value, lines));
                default -> {
                    if (!flat.accept(key, p, value, lines, key)) {
                        throw lines.fail("unknown key \"" + key + "\" (expected " + KEYS + ")");
                    }
                    flatSeen = true;
                }
            }
        }
        if (arrival == -1) {
            throw lines.fail("arrival_time_ns: required key is missing");
        }
        if (subRequests == null) {
            if (!flatSeen) {
                throw lines.fail("sub_requests: required key is missing");
            }
            subRequests = List.of(flat.complete(lines, ""));
        } else if (flatSeen) {
            throw lines.fail("expected either sub_requests (a session) or input_toks/output_toks (a flat request), not both");
        }
        if (subRequests.isEmpty()) {
            throw lines.fail("sub_requests: expected at least one sub-request");
        }
        String name = sessionId != null ? sessionId : "session-" + id;
        List<Turn> turns = new ArrayList<>(subRequests.size());
        for (int i = 0; i < subRequests.size(); i++) {
            SubRequest s = subRequests.get(i);
            TokenIds in = s.inputIds == null ? null : TokenIds.of(s.inputIds);
            TokenIds out = s.outputIds == null ? null : TokenIds.of(s.outputIds);
            turns.add(i == 0
                    ? Turn.root(0, s.input, s.output, in, out, s.toolName)
                    : Turn.chained(i, s.input, s.output, in, out, s.toolName, i - 1,
                            subRequests.get(i - 1).toolDurationNs));
        }
        return new Program(id, name, arrival, turns);
    }

    private static List<SubRequest> readSubRequests(JsonParser p, JsonToken value, TraceLines lines) {
        JsonFields.expect(value, JsonToken.START_ARRAY, "sub_requests", "an array of objects", p, lines);
        List<SubRequest> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = "sub_requests[" + out.size() + "]";
            JsonFields.expect(t, JsonToken.START_OBJECT, at, "an object", p, lines);
            SubRequest s = new SubRequest();
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                if (!s.accept(key, p, v, lines, at + "." + key)) {
                    throw lines.fail(at + ": unknown key \"" + key + "\" (expected " + SUB_KEYS + ")");
                }
            }
            out.add(s.complete(lines, at + "."));
        }
        return out;
    }

    private static <T> T once(T current, String key, TraceLines lines, T value) {
        if (current != null) {
            throw lines.fail(key + ": key appears twice");
        }
        return value;
    }

    /** One sub-request while it is being read. */
    private static final class SubRequest {
        int input = -1;
        int output = -1;
        long toolDurationNs = -1;
        String toolName;
        int[] inputIds;
        int[] outputIds;

        boolean accept(String key, JsonParser p, JsonToken v, TraceLines lines, String field) {
            switch (key) {
                case "input_toks" -> input = onceInt(input, field, JsonFields.tokenCount(p, v, field, lines), lines);
                case "output_toks" -> output = onceInt(output, field, JsonFields.tokenCount(p, v, field, lines), lines);
                case "tool_duration_ns" -> {
                    if (toolDurationNs != -1) {
                        throw lines.fail(field + ": key appears twice");
                    }
                    toolDurationNs = JsonFields.nonNegativeLong(p, v, field, lines);
                }
                case "tool_name" -> toolName = once(toolName, field, lines, JsonFields.string(p, v, field, lines));
                case "input_tok_ids" -> inputIds = once(inputIds, field, lines, JsonFields.tokenIds(p, v, field, lines));
                case "output_tok_ids" -> outputIds = once(outputIds, field, lines, JsonFields.tokenIds(p, v, field, lines));
                default -> {
                    return false;
                }
            }
            return true;
        }

        SubRequest complete(TraceLines lines, String at) {
            if (input == -1) {
                throw lines.fail(at + "input_toks: required key is missing");
            }
            if (output == -1) {
                throw lines.fail(at + "output_toks: required key is missing");
            }
            if (inputIds != null && inputIds.length != input) {
                throw lines.fail(at + "input_tok_ids: expected " + input + " ids (input_toks), got " + inputIds.length);
            }
            if (outputIds != null && outputIds.length != output) {
                throw lines.fail(at + "output_tok_ids: expected " + output + " ids (output_toks), got " + outputIds.length);
            }
            if (toolDurationNs == -1) {
                toolDurationNs = 0;
            }
            return this;
        }

        private static int onceInt(int current, String field, int value, TraceLines lines) {
            if (current != -1) {
                throw lines.fail(field + ": key appears twice");
            }
            return value;
        }
    }
}
