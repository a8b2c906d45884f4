package io.agentservesim.config;

import io.agentservesim.error.InputException;
import io.agentservesim.sched.PolicySettings;
import io.agentservesim.tool.StrictYaml;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Policy settings sections read from a config file: {@code field} (e.g. {@code kv.settings}) maps policy
 * names to mappings; a policy's mapping overlays the policy's defaults and is bound strictly (unknown keys
 * refused), and the record's own checks run; every error names {@code field.<policy>} and the file.
 */
final class YamlPolicySettings implements PolicySettings {
    private final JsonNode section;
    private final Path file;
    private final String field;

    YamlPolicySettings(JsonNode section, Path file, String field) {
        this.section = section;
        this.file = file;
        this.field = field;
    }

    /** Refuses a section named after no policy ({@code known}): a misspelt name must not be dropped silently. */
    YamlPolicySettings requireKnown(Collection<String> known) {
        if (section != null && !section.isNull()) {
            if (!section.isObject()) {
                throw InputException.at(file, field + ": expected a mapping from policy name to its settings");
            }
            for (Map.Entry<String, JsonNode> e : section.properties()) {
                if (!known.contains(e.getKey())) {
                    throw InputException.at(file, field + "." + e.getKey() + ": no such policy; expected one of " + known);
                }
            }
        }
        return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends Record> T of(String policyName, T defaults) {
        JsonNode mine = section == null ? null : section.get(policyName);
        if (mine == null || mine.isNull()) {
            return defaults;
        }
        String where = field + "." + policyName;
        if (!mine.isObject()) {
            throw InputException.at(file, where + ": expected a mapping of settings");
        }
        ObjectNode tree = StrictYaml.MAPPER.valueToTree(defaults);
        for (Map.Entry<String, JsonNode> e : mine.properties()) {
            if (!tree.has(e.getKey())) {
                throw InputException.at(file, where + "." + e.getKey() + ": unknown setting; expected one of "
                        + tree.propertyNames());
            }
            tree.set(e.getKey(), e.getValue());
        }
        try {
            return (T) StrictYaml.bind(tree, defaults.getClass(), file, where);
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, where + ": " + e.getMessage());
        }
    }
}
