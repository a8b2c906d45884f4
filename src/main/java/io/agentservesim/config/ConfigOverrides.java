package io.agentservesim.config;

import io.agentservesim.error.InputException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --set key.path=value} overrides, applied to the user's YAML tree before it is overlaid on the
 * reference and bound, so that an override is validated exactly like the same key written in the file
 * (types, ranges, policy names). The value is read as YAML ({@code 64} a number, {@code true} a boolean,
 * {@code null}, {@code [a, b]} a list, {@code {rate: 2}} a mapping, anything else a string). A path whose
 * key the reference does not know, where the reference lists its keys, is refused here by name (the
 * binder would name it too, but only against the file); a numeric segment indexes a list already in
 * the tree ({@code cluster.groups.0.count=2}).
 */
public final class ConfigOverrides {
    /** One {@code key.path=value}: the dotted path split into segments and the value as a tree. */
    public record Override(String text, List<String> path, JsonNode value) {
        public String key() {
            return String.join(".", path);
        }
    }

    private final List<Override> overrides;

    private ConfigOverrides(List<Override> overrides) {
        this.overrides = List.copyOf(overrides);
    }

    public static final ConfigOverrides NONE = new ConfigOverrides(List.of());

    /** Parses {@code --set} arguments; a malformed one is an InputException naming it. */
    public static ConfigOverrides parse(List<String> args) {
        if (args == null || args.isEmpty()) {
            return NONE;
        }
        List<Override> out = new ArrayList<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new InputException("--set " + a + ": expected key.path=value (e.g. engine.max_num_seqs=64)");
            }
            String key = a.substring(0, eq).trim();
            List<String> path = List.of(key.split("\\.", -1));
            if (path.stream().anyMatch(String::isEmpty)) {
                throw new InputException("--set " + a + ": empty segment in the key path " + key);
            }
            out.add(new Override(a, path, value(a, a.substring(eq + 1))));
        }
        return new ConfigOverrides(out);
    }

    public static ConfigOverrides of(List<Override> overrides) {
        return new ConfigOverrides(overrides);
    }

    public List<Override> list() {
        return overrides;
    }

    public boolean isEmpty() {
        return overrides.isEmpty();
    }

    /** A value read as YAML; an empty value is the empty string. */
    static JsonNode value(String arg, String text) {
        if (text.isBlank()) {
            return JsonNodeFactory.instance.stringNode(text);
        }
        try {
            JsonNode v = YamlConfigLoader.mapper().readTree(text);
            return v == null || v.isMissingNode() ? JsonNodeFactory.instance.nullNode() : v;
        } catch (JacksonException e) {
            throw new InputException("--set " + arg + ": the value is not valid YAML: " + e.getOriginalMessage());
        }
    }

    /**
     * A copy of {@code user} with every override applied in order (a later one wins); {@code reference}
     * (may be null, e.g. for an LLMServingSim config.json) names the keys a closed section allows.
     */
    public JsonNode applyTo(JsonNode user, ObjectNode reference) {
        if (overrides.isEmpty()) {
            return user;
        }
        if (!user.isObject()) {
            return user;
        }
        ObjectNode copy = ((ObjectNode) user).deepCopy();
        for (Override o : overrides) {
            checkAgainstReference(o, reference);
            set(copy, o);
        }
        return copy;
    }

    /** Refuses a key the reference does not list where its section has a fixed set of keys. */
    private static void checkAgainstReference(Override o, ObjectNode reference) {
        JsonNode ref = reference;
        for (int i = 0; i < o.path().size() && ref != null; i++) {
            if (!(ref instanceof ObjectNode obj) || obj.isEmpty()) {
                return; // open: a policy's settings, a generator spec, a list; the binder validates it
            }
            String seg = o.path().get(i);
            JsonNode next = obj.get(seg);
            if (next == null) {
                String at = String.join(".", o.path().subList(0, i + 1));
                throw new InputException("--set " + o.text() + ": unknown key " + at + " (expected one of "
                        + String.join(", ", new TreeSet<>(keys(obj))) + ")");
            }
            ref = next;
        }
    }

    private static List<String> keys(ObjectNode obj) {
        List<String> k = new ArrayList<>();
        for (Iterator<String> it = obj.propertyNames().iterator(); it.hasNext(); ) {
            k.add(it.next());
        }
        return k;
    }

    private static void set(ObjectNode root, Override o) {
        JsonNode node = root;
        List<String> p = o.path();
        for (int i = 0; i < p.size() - 1; i++) {
            String seg = p.get(i);
            JsonNode next = child(node, seg, o, i);
            if (next == null || next.isNull() || !(next.isObject() || next.isArray())) {
                if (node instanceof ArrayNode) {
                    throw new InputException("--set " + o.text() + ": " + prefix(p, i + 1) + " is not a mapping or list");
                }
                next = ((ObjectNode) node).putObject(seg);
            }
            node = next;
        }
        String last = p.get(p.size() - 1);
        if (node instanceof ArrayNode arr) {
            arr.set(index(arr, last, o, p.size() - 1), o.value());
        } else {
            ((ObjectNode) node).set(last, o.value());
        }
    }

    private static JsonNode child(JsonNode node, String seg, Override o, int i) {
        if (node instanceof ArrayNode arr) {
            return arr.get(index(arr, seg, o, i));
        }
        return node.get(seg);
    }

    private static int index(ArrayNode arr, String seg, Override o, int i) {
        int idx;
        try {
            idx = Integer.parseInt(seg);
        } catch (NumberFormatException e) {
            throw new InputException("--set " + o.text() + ": " + prefix(o.path(), i) + " is a list; expected an index,"
                    + " not " + seg);
        }
        if (idx < 0 || idx >= arr.size()) {
            throw new InputException("--set " + o.text() + ": " + prefix(o.path(), i) + " has " + arr.size()
                    + " entries; no index " + seg);
        }
        return idx;
    }

    private static String prefix(List<String> p, int n) {
        return String.join(".", p.subList(0, n));
    }
}
