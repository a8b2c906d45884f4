package io.agentservesim.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.InputException;
import io.agentservesim.tool.StrictYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Resolves {@code cluster.groups} into one {@link InstanceSpec} per instance: each group's model, hardware
 * and engine sections overlay the top-level ones, so a group only says what differs (another GPU's profile
 * and memory, a role). Checks a prefill/decode-disaggregated layout (at least one prefill and one decode
 * group, no co-located ones beside them, the same KV layout on both sides, a positive {@code pd_link}).
 * Without groups the cluster is {@code cluster.instances} copies of the top-level instance. With data
 * parallelism each instance is {@code parallel.data_parallel_size} consecutive ranks built from one spec.
 */
final class ClusterGroups {
    private ClusterGroups() {
    }

    /** One group as written. */
    record Group(
            @JsonProperty("count") Integer count,
            @JsonProperty("role") String role,
            @JsonProperty("model") String model,
            @JsonProperty("hardware") JsonNode hardware,
            @JsonProperty("engine") JsonNode engine) {
    }

    /** The instances, in group order, and the P/D link (null for a co-located cluster). */
    record Layout(List<InstanceSpec> instances, SimulationConfig.PdLink pdLink) {
    }

    static Layout resolve(Path file, Path base, SimulationConfig c, JsonNode user, InstanceSpec top) {
        SimulationConfig.Cluster cl = c.cluster();
        JsonNode groups = cl.groups();
        if (groups == null || groups.isNull()) {
            if (cl.instances() < 1) {
                throw InputException.at(file, "cluster.instances: expected >= 1, got " + cl.instances());
            }
            if (cl.pdLink() != null) {
                throw InputException.at(file, "cluster.pd_link: only for a cluster with prefill and decode groups"
                        + " (cluster.groups with role prefill / decode)");
            }
            return new Layout(Collections.nCopies(cl.instances() * top.dataParallel().size(), top), null);
        }
        if (cl.instances() != 1) {
            throw InputException.at(file, "cluster.instances: give either instances or groups, not both");
        }
        if (!groups.isArray() || groups.isEmpty()) {
            throw InputException.at(file, "cluster.groups: expected a list of {count, role, model, hardware, engine}");
        }
        List<InstanceSpec> specs = new ArrayList<>();
        List<Integer> groupOf = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            String field = "cluster.groups[" + i + "]";
            Group g = StrictYaml.bind(groups.get(i), Group.class, file, field);
            int count = g.count() == null ? 1 : g.count();
            if (count < 1) {
                throw InputException.at(file, field + ".count: expected >= 1, got " + count);
            }
            InstanceSpec.Role role = InstanceSpec.Role.parse(file, field + ".role", g.role());
            InstanceSpec spec = groupSpec(file, base, user, g, role, field);
            if (role != InstanceSpec.Role.BOTH && spec.dataParallel().size() > 1) {
                throw InputException.at(file, "parallel.data_parallel_size: data-parallel prefill or decode groups"
                        + " are not simulated; use data parallelism with co-located (role both) instances");
            }
            for (int k = 0; k < count * spec.dataParallel().size(); k++) {
                specs.add(spec);
                groupOf.add(i);
            }
        }
        boolean disaggregated = specs.stream().anyMatch(s -> s.role() != InstanceSpec.Role.BOTH);
        if (!disaggregated) {
            if (cl.pdLink() != null) {
                throw InputException.at(file, "cluster.pd_link: only for a cluster with prefill and decode groups");
            }
            return new Layout(List.copyOf(specs), null);
        }
        checkDisaggregated(file, specs, groupOf, cl.pdLink());
        return new Layout(List.copyOf(specs), cl.pdLink());
    }

    private static void checkDisaggregated(Path file, List<InstanceSpec> specs, List<Integer> groupOf,
                                           SimulationConfig.PdLink link) {
        InstanceSpec prefill = null;
        InstanceSpec decode = null;
        for (int i = 0; i < specs.size(); i++) {
            InstanceSpec s = specs.get(i);
            switch (s.role()) {
                case BOTH -> throw InputException.at(file, "cluster.groups[" + groupOf.get(i) + "].role: a P/D"
                        + " cluster has prefill and decode groups only; co-located (both) instances cannot join it");
                case PREFILL -> prefill = prefill == null ? s : prefill;
                case DECODE -> decode = decode == null ? s : decode;
            }
        }
        if (prefill == null || decode == null) {
            throw InputException.at(file, "cluster.groups: a P/D cluster needs at least one group with role prefill"
                    + " and one with role decode; found no " + (prefill == null ? "prefill" : "decode") + " group");
        }
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).model().kvBytesPerToken() != prefill.model().kvBytesPerToken()) {
                throw InputException.at(file, "cluster.groups[" + groupOf.get(i) + "].model: its KV layout ("
                        + specs.get(i).model().kvBytesPerToken() + " bytes per token) differs from the first prefill"
                        + " group's (" + prefill.model().kvBytesPerToken() + "); KV cannot move between them");
            }
        }
        if (link == null) {
            throw InputException.at(file, "cluster.pd_link: missing; a P/D cluster needs the KV link"
                    + " {bandwidth_gb_per_s, latency_us}");
        }
        if (!(link.bandwidthGbPerS() > 0)) {
            throw InputException.at(file, "cluster.pd_link.bandwidth_gb_per_s: expected > 0, got "
                    + link.bandwidthGbPerS());
        }
        if (!(link.latencyUs() >= 0)) {
            throw InputException.at(file, "cluster.pd_link.latency_us: expected >= 0, got " + link.latencyUs());
        }
    }

    /** The group's sections over the top-level ones, bound and built; errors name the group's field. */
    private static InstanceSpec groupSpec(Path file, Path base, JsonNode user, Group g, InstanceSpec.Role role,
                                          String field) {
        ObjectNode tree = ((ObjectNode) user).deepCopy();
        if (g.model() != null) {
            tree.put("model", g.model());
        }
        overlay(tree, "hardware", g.hardware());
        overlay(tree, "engine", g.engine());
        try {
            SimulationConfig gc = YamlConfigLoader.bind(file,
                    YamlConfigLoader.reference("/io/agentservesim/config/reference.yaml"), tree, SimulationConfig.class);
            return InstanceSpec.build(file, base, gc, role);
        } catch (InputException e) {
            String prefix = file + ": ";
            String m = e.getMessage();
            throw m.startsWith(prefix) ? new InputException(prefix + field + "." + m.substring(prefix.length()), e) : e;
        }
    }

    private static void overlay(ObjectNode tree, String section, JsonNode over) {
        if (over == null || over.isNull()) {
            return;
        }
        JsonNode old = tree.get(section);
        ObjectNode merged = old instanceof ObjectNode o ? o : tree.objectNode();
        if (over instanceof ObjectNode o) {
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                merged.set(e.getKey(), e.getValue());
            }
            tree.set(section, merged);
        } else {
            tree.set(section, over); // not a mapping: binding reports it
        }
    }
}
