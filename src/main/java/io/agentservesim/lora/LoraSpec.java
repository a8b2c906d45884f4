package io.agentservesim.lora;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.InputException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The {@code lora} section: every agent of a multi-agent world calls with a LoRA adapter (ScaleSim's per-agent
 * fine-tunes; its example runs Qwen2.5-7B, rank 64, {@code max_loras_per_batch} 100, an 80 GB host cache).
 *
 * <pre>
 * lora:
 *   rank: 64                     # LoRA rank r of every adapter (the GPU pool's slots are sized at it)
 *   target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]
 *   max_loras: 8                 # adapter slots on the GPU = distinct adapters one batch may hold (SGLang max_loras_per_batch)
 *   max_cpu_loras: null          # adapters the host cache holds (SGLang max_loaded_loras); null = all of them
 *   adapters: per-agent          # per-agent, or N: agent a uses adapter a mod N
 * </pre>
 *
 * @param shape rank and targets of every adapter
 * @param maxLoras GPU slots
 * @param maxCpuLoras host-cache capacity in adapters; 0 = all
 * @param adapters distinct adapters; 0 = one per agent
 */
public record LoraSpec(AdapterShape shape, int maxLoras, int maxCpuLoras, int adapters) {
    public static final String PER_AGENT = "per-agent";

    @JsonCreator
    static LoraSpec fromYaml(@JsonProperty("rank") Integer rank,
            @JsonProperty("target_modules") List<String> targetModules,
            @JsonProperty("max_loras") Integer maxLoras,
            @JsonProperty("max_cpu_loras") Integer maxCpuLoras,
            @JsonProperty("adapters") JsonNode adapters) {
        int r = rank == null ? 64 : rank;
        if (r < 1) {
            throw new IllegalArgumentException("rank: expected an integer >= 1, got " + r);
        }
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        if (targetModules == null) {
            targets = AdapterShape.allLinear();
        } else {
            for (String m : targetModules) {
                LoraTarget t = LoraTarget.parse(m);
                if (t == null) {
                    throw new IllegalArgumentException("target_modules: '" + m + "' is not a module; expected some of"
                            + " q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
                }
                targets.add(t);
            }
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("target_modules: expected at least one module");
            }
        }
        int slots = maxLoras == null ? 8 : maxLoras;
        if (slots < 1) {
            throw new IllegalArgumentException("max_loras: expected an integer >= 1, got " + slots);
        }
        int cpu = maxCpuLoras == null ? 0 : maxCpuLoras;
        if (maxCpuLoras != null && cpu < 1) {
            throw new IllegalArgumentException("max_cpu_loras: expected an integer >= 1 or null (all adapters), got " + cpu);
        }
        int n;
        if (adapters == null || adapters.isNull() || adapters.isString() && PER_AGENT.equals(adapters.asString())) {
            n = 0;
        } else if (adapters.isIntegralNumber() && adapters.asInt() >= 1) {
            n = adapters.asInt();
        } else {
            throw new IllegalArgumentException("adapters: expected per-agent or an integer >= 1, got " + adapters);
        }
        return new LoraSpec(new AdapterShape(r, targets), slots, cpu, n);
    }

    /** The section under {@code field} of {@code file}, checked against a world of {@code agents} agents. */
    public static LoraSpec resolve(JsonNode node, Path file, String field, int agents) {
        if (!node.isObject()) {
            throw InputException.at(file, field + ": expected a mapping (rank, target_modules, max_loras, ...)");
        }
        LoraSpec spec;
        try {
            spec = io.agentservesim.tool.StrictYaml.MAPPER.treeToValue(node, LoraSpec.class);
        } catch (tools.jackson.core.JacksonException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) { // a value the creator refused
                throw InputException.at(file, field + "." + bad.getMessage());
            }
            io.agentservesim.tool.StrictYaml.bind(node, LoraSpec.class, file, field); // throws the one-line error
            throw e;
        }
        int count = spec.adapterCount(agents);
        if (spec.maxCpuLoras > 0 && spec.maxCpuLoras < count) {
            // An adapter outside the host cache would be read from disk first; that tier is not modelled.
            throw InputException.at(file, field + ".max_cpu_loras: " + spec.maxCpuLoras + " cannot hold the " + count
                    + " adapters of the world (disk loads are not modelled); give >= " + count + " or null");
        }
        return spec;
    }

    /** Distinct adapters of a world of {@code agents} agents. */
    public int adapterCount(int agents) {
        return adapters == 0 ? agents : Math.min(adapters, agents);
    }

    /** The adapter agent {@code agent} calls with. */
    public int adapterOf(int agent) {
        return adapters == 0 ? agent : agent % adapters;
    }

    /** Whether the adapter changes the K or V projections, so an agent's KV of a shared prefix is its own. */
    public boolean changesKv() {
        return shape.targets().contains(LoraTarget.K_PROJ) || shape.targets().contains(LoraTarget.V_PROJ);
    }
}
