package io.agentservesim.program.synthetic;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.FieldPathError;
import io.agentservesim.tool.StrictYaml;
import io.agentservesim.tool.ToolSimulatorSpec;
import io.agentservesim.workload.LengthDistribution;
import java.nio.file.Path;
import java.util.Map;

/**
 * A synthetic agent workload as written in YAML (snake_case): a preset plus overrides.
 *
 * <pre>
 * preset: swe-bench            # required: swe-bench | bfcl | chat | react | plan-execute (see AgentPreset)
 * num_programs: 200            # required, >= 1
 * programs_per_sec: 0.5        # required, >= 0; Poisson arrivals (0 or .inf: all at t = 0)
 * seed: 42                     # default 0
 * token_ids: true              # default true: prompt/output ids so prefix caching sees shared prefixes
 * vocab_size: 32000            # default 32000
 * turns: {type: uniform, min: 20, max: 60}               # optional overrides of the preset ...
 * first_prompt_tokens: {type: lognormal, mean: 6000, sd: 2000, min: 2000, max: 20000}
 * output_tokens: {type: lognormal, mean: 250, sd: 100, min: 100, max: 1024}
 * tool_mix: {bash: 0.5, view: 0.3, edit: 0.2}           # replaces the preset's mix
 * tools: {gaps: drawn, default: {gap: {type: lognormal, mean_s: 0.87, sd_s: 4.1}}}  # replaces the preset's tools
 * </pre>
 */
public record ProgramWorkloadSpec(
        @JsonProperty("preset") AgentPreset preset,
        @JsonProperty("num_programs") int numPrograms,
        @JsonProperty("programs_per_sec") double programsPerSec,
        @JsonProperty("seed") long seed,
        @JsonProperty("token_ids") boolean tokenIds,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("turns") LengthDistribution turns,
        @JsonProperty("first_prompt_tokens") LengthDistribution firstPromptTokens,
        @JsonProperty("output_tokens") LengthDistribution outputTokens,
        @JsonProperty("tool_mix") Map<String, Double> toolMix,
        @JsonProperty("tools") ToolSimulatorSpec tools) {

    public static final int DEFAULT_VOCAB_SIZE = 32000;

    @JsonCreator
    static ProgramWorkloadSpec fromYaml(
            @JsonProperty(value = "preset", required = true) AgentPreset preset,
            @JsonProperty(value = "num_programs", required = true) int numPrograms,
            @JsonProperty(value = "programs_per_sec", required = true) double programsPerSec,
            @JsonProperty("seed") Long seed,
            @JsonProperty("token_ids") Boolean tokenIds,
            @JsonProperty("vocab_size") Integer vocabSize,
            @JsonProperty("turns") LengthDistribution turns,
            @JsonProperty("first_prompt_tokens") LengthDistribution firstPromptTokens,
            @JsonProperty("output_tokens") LengthDistribution outputTokens,
            @JsonProperty("tool_mix") Map<String, Double> toolMix,
            @JsonProperty("tools") ToolSimulatorSpec tools) {
        return new ProgramWorkloadSpec(preset, numPrograms, programsPerSec, seed == null ? 0 : seed,
                tokenIds == null || tokenIds, vocabSize == null ? DEFAULT_VOCAB_SIZE : vocabSize,
                turns, firstPromptTokens, outputTokens, toolMix, tools);
    }

    /** The preset as is, with token ids. */
    public static ProgramWorkloadSpec of(AgentPreset preset, int numPrograms, double programsPerSec, long seed) {
        return new ProgramWorkloadSpec(preset, numPrograms, programsPerSec, seed, true, DEFAULT_VOCAB_SIZE,
                null, null, null, null, null);
    }

    public ProgramWorkloadSpec withTools(ToolSimulatorSpec newTools) {
        return new ProgramWorkloadSpec(preset, numPrograms, programsPerSec, seed, tokenIds, vocabSize, turns,
                firstPromptTokens, outputTokens, toolMix, newTools);
    }

    public ProgramWorkloadSpec withTokenIds(boolean ids) {
        return new ProgramWorkloadSpec(preset, numPrograms, programsPerSec, seed, ids, vocabSize, turns,
                firstPromptTokens, outputTokens, toolMix, tools);
    }

    /** Reads and validates a YAML file holding just this spec. */
    public static ProgramWorkloadSpec load(Path yaml) {
        ProgramWorkloadSpec spec = StrictYaml.read(yaml, ProgramWorkloadSpec.class, "program workload spec");
        spec.validate(yaml, "");
        return spec;
    }

    /** The preset's shape with this spec's overrides applied. */
    public ProgramShape shape() {
        ProgramShape base = preset.shape();
        return new ProgramShape(
                turns != null ? turns : base.turns(),
                firstPromptTokens != null ? firstPromptTokens : base.firstPromptTokens(),
                outputTokens != null ? outputTokens : base.outputTokens(),
                toolMix != null ? toolMix : base.toolMix(),
                tools != null ? tools : base.tools());
    }

    /** Checks every value, naming {@code fieldPrefix}.field on a problem; returns the resolved shape. */
    public ProgramShape validate(Path source, String fieldPrefix) {
        if (preset == null) {
            throw FieldPathError.of(source, "program workload spec", FieldPathError.join(fieldPrefix, "preset"),
                    "expected one of swe-bench, bfcl, chat");
        }
        if (numPrograms < 1) {
            throw FieldPathError.of(source, "program workload spec", FieldPathError.join(fieldPrefix, "num_programs"),
                    "expected an integer >= 1, got " + numPrograms);
        }
        if (!(programsPerSec >= 0)) {
            throw FieldPathError.of(source, "program workload spec",
                    FieldPathError.join(fieldPrefix, "programs_per_sec"),
                    "expected a rate >= 0 (0 or .inf: all arrive at t = 0), got " + programsPerSec);
        }
        if (vocabSize < 2) {
            throw FieldPathError.of(source, "program workload spec", FieldPathError.join(fieldPrefix, "vocab_size"),
                    "expected an integer >= 2, got " + vocabSize);
        }
        ProgramShape shape = shape();
        shape.validate(source, fieldPrefix);
        return shape;
    }
}
