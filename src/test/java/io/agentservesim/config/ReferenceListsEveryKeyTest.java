package io.agentservesim.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.program.synthetic.ProgramWorkloadSpec;
import io.agentservesim.tool.TailAmplification;
import io.agentservesim.tool.ToolProfile;
import io.agentservesim.tool.ToolSimulatorSpec;
import io.agentservesim.workload.SyntheticWorkloadSpec;
import io.agentservesim.world.WorldSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The reference config lists every setting, including the keys of the nested specs that are null by default
 * (workload.synthetic, programs.synthetic, world.synthetic, tools): each key a spec's YAML creator accepts is
 * documented as a commented line ("#   key:") inside its section, so a new key cannot ship undocumented.
 */
class ReferenceListsEveryKeyTest {
    private static String reference() throws IOException {
        try (InputStream in = ResolvedSimulation.class.getResourceAsStream("reference.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text of top-level section {@code name}: from "name:" to the next top-level key. */
    private static String section(String reference, String name) {
        int start = reference.indexOf("\n" + name + ":");
        assertThat(start).as("section " + name).isNotNegative();
        java.util.regex.Matcher next = Pattern.compile("\n[a-z_]+:").matcher(reference);
        int end = next.find(start + 1) ? next.start() : reference.length();
        // A section's leading comment block (above its key) belongs to it too.
        int commentStart = reference.lastIndexOf("\n\n", start);
        return reference.substring(Math.max(commentStart, 0), end);
    }

    /** The YAML keys of {@code type}'s @JsonCreator, else of its record components (the keys a file may give). */
    private static List<String> creatorKeys(Class<?> type) {
        List<String> keys = new ArrayList<>();
        for (Method m : type.getDeclaredMethods()) {
            if (m.isAnnotationPresent(JsonCreator.class)) {
                for (Parameter p : m.getParameters()) {
                    keys.add(p.getAnnotation(JsonProperty.class).value());
                }
            }
        }
        if (keys.isEmpty() && type.isRecord()) { // no creator: the record's annotated components
            for (java.lang.reflect.RecordComponent c : type.getRecordComponents()) {
                JsonProperty a = c.getAccessor().getAnnotation(JsonProperty.class);
                keys.add(a != null ? a.value() : c.getName());
            }
        }
        assertThat(keys).as(type.getSimpleName() + "'s keys").isNotEmpty();
        return keys;
    }

    private static void assertListed(String section, Class<?>... types) {
        for (Class<?> type : types) {
            for (String key : creatorKeys(type)) {
                assertThat(Pattern.compile("#\\s+(\\{?|.*[{,]\\s*)" + Pattern.quote(key) + ":").matcher(section).find())
                        .as(type.getSimpleName() + "'s key '" + key + "' in the reference").isTrue();
            }
        }
    }

    @Test
    void everyNestedSpecKeyIsDocumented() throws IOException {
        String ref = reference();
        assertListed(section(ref, "workload"), SyntheticWorkloadSpec.class);
        assertListed(section(ref, "programs"), ProgramWorkloadSpec.class);
        assertListed(section(ref, "world"), WorldSpec.class, WorldSpec.PlanSpec.class, WorldSpec.SpaceSpec.class);
        assertListed(section(ref, "tools"), ToolSimulatorSpec.class, ToolProfile.class, TailAmplification.class);
    }
}
