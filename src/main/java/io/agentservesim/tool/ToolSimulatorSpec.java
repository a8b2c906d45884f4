package io.agentservesim.tool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.FieldPathError;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the {@link ToolSimulator} treats tool calls, as written in YAML (snake_case):
 *
 * <pre>
 * gaps: trace          # default trace: keep the trace's delays; drawn: draw from each tool's gap
 * gap_scale: 1.0       # default 1: every gap multiplied by this (stress studies)
 * tail: {percentile: 0.95, factor: 4}   # optional: gaps above the tool's p95 multiplied by 4
 * max_retries: 3       # default 3: retries of one failing call before the agent moves on
 * seed: 0              # default 0
 * vocab_size: 32000    # default 32000: ids of error tokens are drawn from [0, vocab_size)
 * default: {gap: {type: lognormal, mean_s: 0.87, sd_s: 4.1}}   # optional: tools not listed below
 * tools:               # optional: per tool name
 *   bash: {gap: {type: lognormal, mean_s: 1.2, sd_s: 5}, failure_probability: 0.02, timeout_s: 30}
 * </pre>
 */
public record ToolSimulatorSpec(
        @JsonProperty("gaps") GapSource gaps,
        @JsonProperty("gap_scale") double gapScale,
        @JsonProperty("tail") TailAmplification tail,
        @JsonProperty("max_retries") int maxRetries,
        @JsonProperty("seed") long seed,
        @JsonProperty("vocab_size") int vocabSize,
        @JsonProperty("default") ToolProfile defaultProfile,
        @JsonProperty("tools") Map<String, ToolProfile> tools) {

    public static final int DEFAULT_MAX_RETRIES = 3;
    public static final int DEFAULT_VOCAB_SIZE = 32000;

    public ToolSimulatorSpec {
        tools = tools == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(tools));
    }

    @JsonCreator
    static ToolSimulatorSpec fromYaml(
            @JsonProperty("gaps") GapSource gaps,
            @JsonProperty("gap_scale") Double gapScale,
            @JsonProperty("tail") TailAmplification tail,
            @JsonProperty("max_retries") Integer maxRetries,
            @JsonProperty("seed") Long seed,
            @JsonProperty("vocab_size") Integer vocabSize,
            @JsonProperty("default") ToolProfile defaultProfile,
            @JsonProperty("tools") Map<String, ToolProfile> tools) {
        return new ToolSimulatorSpec(gaps == null ? GapSource.TRACE : gaps, gapScale == null ? 1 : gapScale, tail,
                maxRetries == null ? DEFAULT_MAX_RETRIES : maxRetries, seed == null ? 0 : seed,
                vocabSize == null ? DEFAULT_VOCAB_SIZE : vocabSize, defaultProfile, tools);
    }

    /** Trace gaps unchanged: no scaling, no tail, no failures. */
    public static ToolSimulatorSpec passThrough() {
        return new ToolSimulatorSpec(GapSource.TRACE, 1, null, DEFAULT_MAX_RETRIES, 0, DEFAULT_VOCAB_SIZE, null, Map.of());
    }

    /** Gaps drawn from {@code tools} (and {@code defaultProfile} for other tools). */
    public static ToolSimulatorSpec drawn(ToolProfile defaultProfile, Map<String, ToolProfile> tools, long seed) {
        return new ToolSimulatorSpec(GapSource.DRAWN, 1, null, DEFAULT_MAX_RETRIES, seed, DEFAULT_VOCAB_SIZE,
                defaultProfile, tools);
    }

    public ToolSimulatorSpec withGaps(GapSource source) {
        return new ToolSimulatorSpec(source, gapScale, tail, maxRetries, seed, vocabSize, defaultProfile, tools);
    }

    public ToolSimulatorSpec withSeed(long newSeed) {
        return new ToolSimulatorSpec(gaps, gapScale, tail, maxRetries, newSeed, vocabSize, defaultProfile, tools);
    }

    public ToolSimulatorSpec withGapScale(double scale) {
        return new ToolSimulatorSpec(gaps, scale, tail, maxRetries, seed, vocabSize, defaultProfile, tools);
    }

    public ToolSimulatorSpec withTail(TailAmplification newTail) {
        return new ToolSimulatorSpec(gaps, gapScale, newTail, maxRetries, seed, vocabSize, defaultProfile, tools);
    }

    /** The profile of {@code tool}: its own, else the default, else null. */
    public ToolProfile profile(String tool) {
        ToolProfile own = tool == null ? null : tools.get(tool);
        return own != null ? own : defaultProfile;
    }

    /** Reads and validates a YAML file holding just this spec. */
    public static ToolSimulatorSpec load(Path yaml) {
        return StrictYaml.read(yaml, ToolSimulatorSpec.class, "tool spec").validate(yaml, "");
    }

    /** Checks every value, naming {@code fieldPrefix}.field on a problem; returns {@code this}. */
    public ToolSimulatorSpec validate(Path source, String fieldPrefix) {
        if (gaps == null) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(fieldPrefix, "gaps"),
                    "expected trace or drawn");
        }
        if (!(gapScale >= 0) || Double.isInfinite(gapScale)) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(fieldPrefix, "gap_scale"),
                    "expected a finite value >= 0, got " + gapScale);
        }
        if (tail != null) {
            tail.validate(source, FieldPathError.join(fieldPrefix, "tail"));
        }
        if (maxRetries < 0) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(fieldPrefix, "max_retries"),
                    "expected an integer >= 0, got " + maxRetries);
        }
        if (vocabSize < 2) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(fieldPrefix, "vocab_size"),
                    "expected an integer >= 2, got " + vocabSize);
        }
        if (defaultProfile != null) {
            defaultProfile.validate(source, FieldPathError.join(fieldPrefix, "default"));
        }
        for (Map.Entry<String, ToolProfile> e : tools.entrySet()) {
            String field = FieldPathError.join(fieldPrefix, "tools." + e.getKey());
            if (e.getValue() == null) {
                throw FieldPathError.of(source, "tool spec", field, "expected a tool profile, got null");
            }
            e.getValue().validate(source, field);
        }
        return this;
    }
}
