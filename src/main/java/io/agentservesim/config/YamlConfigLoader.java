package io.agentservesim.config;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a YAML configuration overlaid on a shipped reference file that holds every default
 * (Caffeine's reference.conf pattern): the user's tree is merged into the reference tree, then bound to
 * immutable records with unknown keys, missing keys and nulls for primitives all rejected. Errors name
 * the file and the dotted key path, on one line.
 */
public final class YamlConfigLoader {
    private static final ObjectMapper YAML = io.agentservesim.error.StrictJackson.configure(YAMLMapper.builder())
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private YamlConfigLoader() {
    }

    public static ObjectMapper mapper() {
        return YAML;
    }

    /** The reference tree shipped as a classpath resource. */
    public static ObjectNode reference(String resource) {
        try (InputStream in = YamlConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + resource, e);
        }
    }

    /** Parses a YAML or JSON file into a tree; a missing or malformed file is an InputException. */
    public static JsonNode readTree(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isMissingNode() || node.isNull()) {
                throw InputException.at(file, "empty file; expected a YAML mapping");
            }
            return node;
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        } catch (JacksonException e) {
            throw InputException.at(file, JacksonInputErrors.message(e));
        }
    }

    /** Overlays {@code user} on a copy of {@code reference} and binds the result to {@code type}. */
    public static <T> T bind(Path file, ObjectNode reference, JsonNode user, Class<T> type) {
        if (!user.isObject()) {
            throw InputException.at(file, "expected a YAML mapping at the top level");
        }
        ObjectNode merged = reference.deepCopy();
        overlay(merged, (ObjectNode) user);
        try {
            return YAML.treeToValue(merged, type);
        } catch (JacksonException e) {
            throw InputException.at(file, JacksonInputErrors.message(e));
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, e.getMessage());
        }
    }

    /** {@code user} overlaid on a copy of {@code reference}: the config as the simulator reads it. */
    public static ObjectNode merged(ObjectNode reference, JsonNode user) {
        ObjectNode merged = reference.deepCopy();
        if (user instanceof ObjectNode u) {
            overlay(merged, u);
        }
        return merged;
    }

    private static void overlay(ObjectNode base, ObjectNode top) {
        for (Map.Entry<String, JsonNode> e : top.properties()) {
            JsonNode old = base.get(e.getKey());
            if (old instanceof ObjectNode oldObject && e.getValue() instanceof ObjectNode newObject) {
                overlay(oldObject, newObject);
            } else if (old instanceof ObjectNode && e.getValue().isNull()) {
                // An empty section ("engine:" with nothing under it) reads as null: it keeps its defaults.
                continue;
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }
}
