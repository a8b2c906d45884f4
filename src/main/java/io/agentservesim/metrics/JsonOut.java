package io.agentservesim.metrics;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** How summaries are written as JSON: pretty-printed, numbers rounded to 4 decimals so files are stable. */
public final class JsonOut {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private JsonOut() {
    }

    /** The tree, pretty-printed, with a final newline. */
    public static String pretty(ObjectNode root) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }

    /** {@code v} rounded to 4 decimals; 0 for NaN or infinity (an empty distribution). */
    public static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0;
    }
}
