package io.agentservesim.program.synthetic;

import io.agentservesim.error.FieldPathError;
import io.agentservesim.tool.GapSource;
import io.agentservesim.tool.ToolSimulatorSpec;
import io.agentservesim.workload.LengthDistribution;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one kind of agent program looks like: how many turns, the first prompt (system prompt + task),
 * each turn's output, which tool each turn calls ({@code toolMix}: name to relative weight) and what
 * the tools do ({@code tools}: gaps, output tokens, failures). Every turn but the last calls a tool;
 * turn k+1's context is turn k's context + its output + the tool's output.
 */
public record ProgramShape(LengthDistribution turns, LengthDistribution firstPromptTokens,
        LengthDistribution outputTokens, Map<String, Double> toolMix, ToolSimulatorSpec tools) {

    public ProgramShape {
        toolMix = toolMix == null ? null : java.util.Collections.unmodifiableMap(new TreeMap<>(toolMix));
    }

    void validate(Path source, String prefix) {
        require(source, prefix, "turns", turns);
        require(source, prefix, "first_prompt_tokens", firstPromptTokens);
        require(source, prefix, "output_tokens", outputTokens);
        String mixField = FieldPathError.join(prefix, "tool_mix");
        if (toolMix == null || toolMix.isEmpty()) {
            throw FieldPathError.of(source, "program workload spec", mixField, "expected at least one tool with a weight");
        }
        for (Map.Entry<String, Double> e : toolMix.entrySet()) {
            Double w = e.getValue();
            if (w == null || !(w > 0) || w.isInfinite()) {
                throw FieldPathError.of(source, "program workload spec", mixField + "." + e.getKey(),
                        "expected a finite weight > 0, got " + w);
            }
        }
        String toolsField = FieldPathError.join(prefix, "tools");
        if (tools == null) {
            throw FieldPathError.of(source, "program workload spec", toolsField, "required: tool profiles");
        }
        tools.validate(source, toolsField);
        if (tools.gaps() != GapSource.DRAWN) {
            throw FieldPathError.of(source, "program workload spec", toolsField + ".gaps",
                    "expected drawn (a generated program has no trace gaps)");
        }
        for (String tool : toolMix.keySet()) {
            if (tools.profile(tool) == null || tools.profile(tool).gap() == null) {
                throw FieldPathError.of(source, "program workload spec", toolsField + ".tools." + tool,
                        "expected a gap distribution for tool '" + tool + "' (or a default with one)");
            }
        }
    }

    private static void require(Path source, String prefix, String name, LengthDistribution d) {
        String field = FieldPathError.join(prefix, name);
        if (d == null) {
            throw FieldPathError.of(source, "program workload spec", field,
                    "required: a length distribution {type: fixed|uniform|lognormal, ...}");
        }
        d.validate(source, field);
    }
}
