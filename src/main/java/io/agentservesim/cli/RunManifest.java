package io.agentservesim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@value #FILE}: what produced an output folder (asim's version, the command line, the config as the
 * simulator read it with every default filled in, the seed, the wall time). It is also asim's mark: only a
 * folder holding it (or an empty one) is ever replaced by a later run. The wall-clock field is the only
 * one that differs between two runs of the same config and seed.
 */
public final class RunManifest {
    public static final String FILE = "manifest.json";
    static final String GENERATOR = "AgentServeSim";
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private RunManifest() {
    }

    /** Writes the manifest into {@code dir}. {@code config} may be null (a config asim did not merge). */
    public static void write(Path dir, String command, String[] args, JsonNode config, long seed, double wallS)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("generator", GENERATOR);
        m.put("version", Main.VERSION);
        m.put("command", command);
        ArrayNode a = m.putArray("arguments");
        for (String s : args) {
            a.add(s);
        }
        m.put("seed", seed);
        if (config != null) {
            m.set("config", config);
        }
        m.put("wall_s", Math.round(wallS * 1000.0) / 1000.0);
        Files.writeString(dir.resolve(FILE), JSON.writeValueAsString(m) + "\n");
    }

    /** Whether {@code dir} holds a manifest written by asim. */
    static boolean isAsimOutput(Path dir) {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        try {
            JsonNode m = JSON.readTree(Files.readString(f));
            return m != null && GENERATOR.equals(m.path("generator").asString());
        } catch (IOException | JacksonException e) {
            return false;
        }
    }
}
