package io.agentservesim.tool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.FieldPathError;
import io.agentservesim.workload.LengthDistribution;
import java.nio.file.Path;

/**
 * What one tool does to a program, as written in YAML:
 *
 * <pre>
 * gap: {type: lognormal, mean_s: 0.87, sd_s: 4.1}   # optional; needed when gaps are drawn
 * output_tokens: {type: lognormal, mean: 300, sd: 400, min: 1, max: 8192}  # optional; tokens the tool
 *                                                   # appends to the next turn's context (generators)
 * failure_probability: 0.02   # default 0: chance a call fails and the agent retries it
 * timeout_s: 30               # default 0 = none: a call running longer is cut here and retried
 * error_tokens: 40            # default 32: tokens of the error message the retry turn sees
 * </pre>
 */
public record ToolProfile(
        @JsonProperty("gap") GapDistribution gap,
        @JsonProperty("output_tokens") LengthDistribution outputTokens,
        @JsonProperty("failure_probability") double failureProbability,
        @JsonProperty("timeout_s") double timeoutSeconds,
        @JsonProperty("error_tokens") int errorTokens) {

    public static final int DEFAULT_ERROR_TOKENS = 32;

    @JsonCreator
    static ToolProfile fromYaml(
            @JsonProperty("gap") GapDistribution gap,
            @JsonProperty("output_tokens") LengthDistribution outputTokens,
            @JsonProperty("failure_probability") Double failureProbability,
            @JsonProperty("timeout_s") Double timeoutSeconds,
            @JsonProperty("error_tokens") Integer errorTokens) {
        return new ToolProfile(gap, outputTokens,
                failureProbability == null ? 0 : failureProbability,
                timeoutSeconds == null ? 0 : timeoutSeconds,
                errorTokens == null ? DEFAULT_ERROR_TOKENS : errorTokens);
    }

    /** A tool that never fails, with the given gap and output-token distributions. */
    public static ToolProfile of(GapDistribution gap, LengthDistribution outputTokens) {
        return new ToolProfile(gap, outputTokens, 0, 0, DEFAULT_ERROR_TOKENS);
    }

    /** This profile, failing with probability {@code p} and cut at {@code timeoutSeconds} (0: never). */
    public ToolProfile withFailures(double p, double timeoutSeconds) {
        return new ToolProfile(gap, outputTokens, p, timeoutSeconds, errorTokens);
    }

    public boolean canFail() {
        return failureProbability > 0 || timeoutSeconds > 0;
    }

    public void validate(Path source, String field) {
        if (gap != null) {
            gap.validate(source, FieldPathError.join(field, "gap"));
        }
        if (outputTokens != null) {
            outputTokens.validate(source, FieldPathError.join(field, "output_tokens"));
        }
        if (!(failureProbability >= 0 && failureProbability <= 1)) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "failure_probability"),
                    "expected a probability in [0, 1], got " + failureProbability);
        }
        if (!(timeoutSeconds >= 0) || Double.isInfinite(timeoutSeconds)) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "timeout_s"),
                    "expected a finite value >= 0 (0: no timeout), got " + timeoutSeconds);
        }
        if (errorTokens < 1) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "error_tokens"),
                    "expected an integer >= 1, got " + errorTokens);
        }
    }
}
