package io.agentservesim.tool;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The YAML mapper for the program and tool specs: unknown keys, duplicate keys, nulls for primitives,
 * floats where integers belong and scalar coercion are all errors (the settings of
 * every loader: {@link io.agentservesim.error.StrictJackson}), and optional keys may be left out.
 */
public final class StrictYaml {
    public static final YAMLMapper MAPPER = io.agentservesim.error.StrictJackson.yaml();

    private StrictYaml() {
    }

    /** Reads {@code file} as {@code type}; every problem is a one-line InputException naming the file. */
    public static <T> T read(Path file, Class<T> type, String what) {
        T value;
        try (InputStream in = Files.newInputStream(file)) {
            value = MAPPER.readValue(in, type);
        } catch (NoSuchFileException e) {
            throw InputException.at(file, what + " not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read " + what + ": " + e.getMessage());
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(file, e);
        }
        if (value == null) {
            throw InputException.at(file, "expected a YAML mapping (" + what + ")");
        }
        return value;
    }

    /** Binds a spec embedded under {@code field} of {@code origin}; errors name the file and the field path. */
    public static <T> T bind(tools.jackson.databind.JsonNode node, Class<T> type, Path origin, String field) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JacksonException e) {
            throw InputException.at(origin, field + "." + JacksonInputErrors.message(e));
        }
    }

    /** Parses YAML text (tests, embedded specs); errors name {@code origin}. */
    public static <T> T parse(String yaml, Class<T> type, Path origin) {
        try {
            return MAPPER.readValue(yaml, type);
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(origin, e);
        }
    }
}
