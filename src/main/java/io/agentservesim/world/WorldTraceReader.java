package io.agentservesim.world;

import io.agentservesim.program.JsonFields;
import io.agentservesim.program.TraceLines;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Streams a multi-agent simulation recorded as JSON Lines (plain or gzip): a header line, then one line per
 * world step, in order.
 *
 * <pre>
 * {"agents": 4, "shared_prefix_toks": 256, "persona_toks": 800}
 * {"step": 0, "calls": [{"agent": 1, "input_toks": 1300, "output_toks": 90}], "hints": {"1": 0, "3": 2}}
 * {"step": 1, "calls": [], "hints": {"3": 1}}
 * </pre>
 *
 * <ul>
 * <li>Header: {@code agents} (required, >= 1), {@code shared_prefix_toks} and {@code persona_toks} (>= 0,
 *     default 0: the context every agent's prompts start with, as {@link AgentContexts} builds it) and
 *     {@code memory_max_toks} (optional).</li>
 * <li>Step: {@code step} (required: 0, 1, 2, ... in order), {@code calls} (required; each agent at most
 *     once: {@code agent} in [0, agents), {@code input_toks} the whole prompt, {@code output_toks}, both >= 1)
 *     and {@code hints} (optional: agent id as a string to its invocation distance, an integer >= 0; agents left
 *     out are unknown; a calling agent is at 0 whether listed or not, and listing it at another distance is an
 *     error).</li>
 * <li>A call's prompt reuses the first {@code input_toks} tokens of the agent's context (shared prefix +
 *     persona + memory); tokens past the context are fresh; its output joins the agent's memory.</li>
 * </ul>
 * Every problem reads "FILE:LINE: what was expected": malformed JSON, a missing or unknown key, a step out of
 * order, an agent out of range or listed twice, a token count below 1, a negative hint.
 */
public final class WorldTraceReader implements WorldSource {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final String HEADER_KEYS = "agents, shared_prefix_toks, persona_toks, memory_max_toks";
    private static final String STEP_KEYS = "step, calls, hints";
    private static final String CALL_KEYS = "agent, input_toks, output_toks";

    private final TraceLines lines;
    private final int agents;
    private final int shared;
    private final int persona;
    private final Integer memoryMax;
    private WorldStep pending;
    private boolean finished;
    private int nextStep;

    private WorldTraceReader(TraceLines lines) {
        this.lines = lines;
        String header = lines.next();
        if (header == null) {
            throw lines.fail("expected a header line {\"agents\": N, ...}, found an empty file");
        }
        long[] h = {-1, 0, 0, -1};
        parse(header, p -> {
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                int at = switch (key) {
                    case "agents" -> 0;
                    case "shared_prefix_toks" -> 1;
                    case "persona_toks" -> 2;
                    case "memory_max_toks" -> 3;
                    default -> throw lines.fail("header: unknown key \"" + key + "\" (expected " + HEADER_KEYS + ")");
                };
                h[at] = JsonFields.nonNegativeLong(p, v, key, lines);
            }
        });
        if (h[0] < 1 || h[0] > Integer.MAX_VALUE) {
            throw lines.fail("agents: expected the header's agent count, an integer >= 1" + (h[0] < 0 ? " (missing)" : ""));
        }
        if (h[3] == 0 || h[3] == 1) {
            throw lines.fail("memory_max_toks: expected an integer >= 2, got " + h[3]);
        }
        this.agents = (int) h[0];
        this.shared = toInt(h[1], "shared_prefix_toks");
        this.persona = toInt(h[2], "persona_toks");
        this.memoryMax = h[3] < 0 ? null : toInt(h[3], "memory_max_toks");
    }

    /** Opens {@code file} and reads its header; a missing file or a bad header is an InputException. */
    public static WorldTraceReader open(Path file) {
        TraceLines lines = TraceLines.open(file);
        try {
            return new WorldTraceReader(lines);
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    private int toInt(long v, String field) {
        if (v > Integer.MAX_VALUE) {
            throw lines.fail(field + ": " + v + " does not fit a 32-bit integer");
        }
        return (int) v;
    }

    @Override public int agents() { return agents; }
    @Override public int sharedPrefixTokens() { return shared; }
    @Override public int personaTokens(int agent) { return persona; }
    @Override public Integer memoryMaxTokens() { return memoryMax; }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            String line = lines.next();
            if (line == null) {
                finished = true;
            } else {
                pending = parseStep(line);
            }
        }
        return pending != null;
    }

    @Override
    public WorldStep next(AgentContexts contexts) {
        if (!hasNext()) {
            throw new NoSuchElementException("no more world steps in " + lines.file());
        }
        WorldStep s = pending;
        pending = null;
        return s;
    }

    private interface Body {
        void read(JsonParser p);
    }

    private void parse(String line, Body body) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw lines.fail("expected a JSON object");
            }
            body.read(p);
            if (p.nextToken() != null) {
                throw lines.fail("expected one JSON object per line, found more after it");
            }
        } catch (JacksonException e) {
            throw lines.fail("malformed JSON: " + JsonFields.firstLine(e.getOriginalMessage()));
        }
    }

    private WorldStep parseStep(String line) {
        long[] step = {-1};
        IntArrayList callAgents = new IntArrayList();
        IntArrayList callInput = new IntArrayList();
        IntArrayList callOutput = new IntArrayList();
        int[] distance = new int[agents];
        Arrays.fill(distance, InvocationHints.UNKNOWN);
        boolean[] seen = {false, false};
        parse(line, p -> {
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken v = p.nextToken();
                switch (key) {
                    case "step" -> {
                        if (step[0] != -1) {
                            throw lines.fail("step: key appears twice");
                        }
                        step[0] = JsonFields.nonNegativeLong(p, v, key, lines);
                    }
                    case "calls" -> {
                        if (seen[0]) {
                            throw lines.fail("calls: key appears twice");
                        }
                        seen[0] = true;
                        readCalls(p, v, callAgents, callInput, callOutput);
                    }
                    case "hints" -> {
                        if (seen[1]) {
                            throw lines.fail("hints: key appears twice");
                        }
                        seen[1] = true;
                        readHints(p, v, distance);
                    }
                    default -> throw lines.fail("unknown key \"" + key + "\" (expected " + STEP_KEYS + ")");
                }
            }
        });
        if (step[0] == -1) {
            throw lines.fail("step: required key is missing");
        }
        if (step[0] != nextStep) {
            throw lines.fail("step: expected " + nextStep + " (steps in order from 0), got " + step[0]);
        }
        if (!seen[0]) {
            throw lines.fail("calls: required key is missing (an empty list when no agent calls)");
        }
        boolean[] calling = new boolean[agents];
        for (int i = 0; i < callAgents.size(); i++) {
            int a = callAgents.getInt(i);
            if (calling[a]) {
                throw lines.fail("calls[" + i + "].agent: agent " + a + " calls twice in one step");
            }
            calling[a] = true;
            if (distance[a] > 0) {
                throw lines.fail("hints." + a + ": agent " + a + " calls in this step, so its distance is 0, got "
                        + distance[a]);
            }
            distance[a] = 0;
        }
        int[] order = sortedOrder(callAgents);
        int[] ag = new int[order.length];
        int[] in = new int[order.length];
        int[] out = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            ag[i] = callAgents.getInt(order[i]);
            in[i] = callInput.getInt(order[i]);
            out[i] = callOutput.getInt(order[i]);
        }
        int s = nextStep++;
        return new WorldStep(s, ag, in, out, InvocationHints.of(s, distance));
    }

    private static int[] sortedOrder(IntArrayList agentIds) {
        Integer[] idx = new Integer[agentIds.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Integer.compare(agentIds.getInt(x), agentIds.getInt(y)));
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    private void readCalls(JsonParser p, JsonToken v, IntArrayList ag, IntArrayList in, IntArrayList out) {
        JsonFields.expect(v, JsonToken.START_ARRAY, "calls", "an array of objects", p, lines);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String at = "calls[" + ag.size() + "]";
            JsonFields.expect(t, JsonToken.START_OBJECT, at, "an object", p, lines);
            long agent = -1;
            int input = -1;
            int output = -1;
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken cv = p.nextToken();
                String field = at + "." + key;
                switch (key) {
                    case "agent" -> agent = agentId(JsonFields.nonNegativeLong(p, cv, field, lines), field);
                    case "input_toks" -> input = JsonFields.tokenCount(p, cv, field, lines);
                    case "output_toks" -> output = JsonFields.tokenCount(p, cv, field, lines);
                    default -> throw lines.fail(at + ": unknown key \"" + key + "\" (expected " + CALL_KEYS + ")");
                }
            }
            if (agent < 0) {
                throw lines.fail(at + ".agent: required key is missing");
            }
            if (input < 0) {
                throw lines.fail(at + ".input_toks: required key is missing");
            }
            if (output < 0) {
                throw lines.fail(at + ".output_toks: required key is missing");
            }
            ag.add((int) agent);
            in.add(input);
            out.add(output);
        }
    }

    private void readHints(JsonParser p, JsonToken v, int[] distance) {
        JsonFields.expect(v, JsonToken.START_OBJECT, "hints", "an object of agent id to distance", p, lines);
        String key;
        while ((key = p.nextName()) != null) {
            JsonToken hv = p.nextToken();
            String field = "hints." + key;
            int agent;
            try {
                agent = agentId(Long.parseLong(key), field);
            } catch (NumberFormatException e) {
                throw lines.fail(field + ": expected an agent id (a decimal integer) as the key");
            }
            long d = JsonFields.nonNegativeLong(p, hv, field, lines);
            if (d > Integer.MAX_VALUE) {
                throw lines.fail(field + ": distance " + d + " does not fit a 32-bit integer");
            }
            distance[agent] = (int) d;
        }
    }

    private int agentId(long a, String field) {
        if (a < 0 || a >= agents) {
            throw lines.fail(field + ": expected an agent id in [0, " + agents + "), got " + a);
        }
        return (int) a;
    }

    @Override
    public void close() {
        lines.close();
    }
}
