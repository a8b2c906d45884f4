package io.agentservesim.tool;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.FieldPathError;
import java.nio.file.Path;

/**
 * A stress knob: a gap above the {@code percentile} of its tool's gap distribution is multiplied by
 * {@code factor}; gaps at or below it are untouched. YAML: {@code {percentile: 0.95, factor: 4}}.
 */
public record TailAmplification(
        @JsonProperty(value = "percentile", required = true) double percentile,
        @JsonProperty(value = "factor", required = true) double factor) {

    public void validate(Path source, String field) {
        if (!(percentile > 0 && percentile < 1)) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "percentile"),
                    "expected a fraction in (0, 1), got " + percentile);
        }
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "factor"),
                    "expected a finite value > 0, got " + factor);
        }
    }
}
