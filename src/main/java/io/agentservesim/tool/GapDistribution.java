package io.agentservesim.tool;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.agentservesim.error.FieldPathError;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.LogNormalSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.statistics.distribution.LogNormalDistribution;

/**
 * How long a tool call takes (the gap between a turn's completion and its successor's release), in
 * seconds. YAML: an object with {@code type}: {@code fixed}, {@code lognormal} (the default shape,
 * because measured agent tool times are heavy-tailed) or {@code empirical} (resampled measurements).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = GapDistribution.Fixed.class, name = "fixed"),
    @JsonSubTypes.Type(value = GapDistribution.LogNormal.class, name = "lognormal"),
    @JsonSubTypes.Type(value = GapDistribution.Empirical.class, name = "empirical")
})
public sealed interface GapDistribution {

    static GapDistribution fixed(double seconds) {
        return new Fixed(seconds);
    }

    static GapDistribution lognormal(double meanSeconds, double sdSeconds) {
        return new LogNormal(meanSeconds, sdSeconds);
    }

    static GapDistribution empirical(List<Double> samplesSeconds) {
        return new Empirical(samplesSeconds);
    }

    /** Draws gaps in seconds with {@code rng}; call {@link #validate} first. */
    ContinuousSampler sampler(UniformRandomProvider rng);

    /** The gap (seconds) below which a fraction {@code p} of this distribution lies. */
    double quantileSeconds(double p);

    /** Throws an InputException naming {@code field} on an impossible value. */
    void validate(Path source, String field);

    /** Always {@code seconds}. YAML: {@code {type: fixed, seconds: 0.5}}. */
    record Fixed(@JsonProperty(value = "seconds", required = true) double seconds) implements GapDistribution {
        @Override
        public ContinuousSampler sampler(UniformRandomProvider rng) {
            return () -> seconds;
        }

        @Override
        public double quantileSeconds(double p) {
            return seconds;
        }

        @Override
        public void validate(Path source, String field) {
            requireFiniteNonNegative(source, FieldPathError.join(field, "seconds"), seconds);
        }
    }

    /**
     * Log-normal with the given mean and standard deviation of the gap itself (not of its logarithm):
     * sigma^2 = ln(1 + sd^2/mean^2), mu = ln(mean) - sigma^2/2. YAML:
     * {@code {type: lognormal, mean_s: 0.87, sd_s: 4.1}}.
     */
    record LogNormal(
            @JsonProperty(value = "mean_s", required = true) double meanSeconds,
            @JsonProperty(value = "sd_s", required = true) double sdSeconds) implements GapDistribution {

        double sigma() {
            return Math.sqrt(Math.log1p((sdSeconds * sdSeconds) / (meanSeconds * meanSeconds)));
        }

        double mu() {
            double s = sigma();
            return Math.log(meanSeconds) - s * s / 2;
        }

        @Override
        public ContinuousSampler sampler(UniformRandomProvider rng) {
            if (sdSeconds == 0) {
                return () -> meanSeconds;
            }
            return LogNormalSampler.of(ZigguratSampler.NormalizedGaussian.of(rng), mu(), sigma());
        }

        @Override
        public double quantileSeconds(double p) {
            if (sdSeconds == 0) {
                return meanSeconds;
            }
            return LogNormalDistribution.of(mu(), sigma()).inverseCumulativeProbability(p);
        }

        @Override
        public void validate(Path source, String field) {
            if (!(meanSeconds > 0) || Double.isInfinite(meanSeconds)) {
                throw FieldPathError.of(source, "tool spec", FieldPathError.join(field, "mean_s"),
                        "expected a finite value > 0, got " + meanSeconds);
            }
            requireFiniteNonNegative(source, FieldPathError.join(field, "sd_s"), sdSeconds);
        }
    }

    /**
     * Draws uniformly among measured gaps (a bootstrap of a trace's tool times). YAML:
     * {@code {type: empirical, samples_s: [0.1, 0.2, 3.5]}}.
     */
    record Empirical(@JsonProperty(value = "samples_s", required = true) List<Double> samplesSeconds)
            implements GapDistribution {

        public Empirical {
            samplesSeconds = samplesSeconds == null ? null : List.copyOf(samplesSeconds);
        }

        @Override
        public ContinuousSampler sampler(UniformRandomProvider rng) {
            double[] values = samplesSeconds.stream().mapToDouble(Double::doubleValue).toArray();
            return () -> values[rng.nextInt(values.length)];
        }

        /** The smallest sample with at least a fraction {@code p} of the samples at or below it. */
        @Override
        public double quantileSeconds(double p) {
            double[] sorted = samplesSeconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int rank = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
        }

        @Override
        public void validate(Path source, String field) {
            String f = FieldPathError.join(field, "samples_s");
            if (samplesSeconds == null || samplesSeconds.isEmpty()) {
                throw FieldPathError.of(source, "tool spec", f, "expected at least one sample");
            }
            for (int i = 0; i < samplesSeconds.size(); i++) {
                Double v = samplesSeconds.get(i);
                requireFiniteNonNegative(source, f + "[" + i + "]", v == null ? Double.NaN : v);
            }
        }

        @Override
        public String toString() {
            return "Empirical" + Arrays.toString(samplesSeconds.toArray());
        }
    }

    private static void requireFiniteNonNegative(Path source, String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw FieldPathError.of(source, "tool spec", field, "expected a finite value >= 0, got " + v);
        }
    }
}
