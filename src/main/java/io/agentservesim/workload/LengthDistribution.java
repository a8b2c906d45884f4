package io.agentservesim.workload;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteUniformSampler;
import org.apache.commons.rng.sampling.distribution.LogNormalSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;

/**
 * How many tokens a synthetic prompt or output has. Written in YAML as an object with a {@code type}
 * field ({@code fixed}, {@code uniform}, {@code lognormal}); every length is at least 1 because a
 * request with an empty prompt or no output does not exist in vLLM.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LengthDistribution.Fixed.class, name = "fixed"),
    @JsonSubTypes.Type(value = LengthDistribution.Uniform.class, name = "uniform"),
    @JsonSubTypes.Type(value = LengthDistribution.LogNormal.class, name = "lognormal")
})
public sealed interface LengthDistribution {

    static LengthDistribution fixed(int tokens) {
        return new Fixed(tokens);
    }

    static LengthDistribution uniform(int min, int max) {
        return new Uniform(min, max);
    }

    static LengthDistribution lognormal(double mean, double sd, int min, int max) {
        return new LogNormal(mean, sd, min, max);
    }

    /** A sampler drawing lengths from this distribution with {@code rng}; call {@link #validate} first. */
    DiscreteSampler sampler(UniformRandomProvider rng);

    /** Throws an {@link io.agentservesim.error.InputException} naming {@code field} on an impossible value. */
    void validate(Path source, String field);

    /** Always {@code tokens}. YAML: {@code {type: fixed, tokens: 128}}. */
    record Fixed(@JsonProperty(value = "tokens", required = true) int tokens) implements LengthDistribution {
        @Override
        public DiscreteSampler sampler(UniformRandomProvider rng) {
            return () -> tokens;
        }

        @Override
        public void validate(Path source, String field) {
            if (tokens < 1) {
                throw SpecFieldError.of(source, SpecFieldError.join(field, "tokens"),
                        "expected an integer >= 1, got " + tokens);
            }
        }
    }

    /** Uniform on the integers {@code [min, max]}. YAML: {@code {type: uniform, min: 16, max: 512}}. */
    record Uniform(
            @JsonProperty(value = "min", required = true) int min,
            @JsonProperty(value = "max", required = true) int max) implements LengthDistribution {
        @Override
        public DiscreteSampler sampler(UniformRandomProvider rng) {
            return DiscreteUniformSampler.of(rng, min, max);
        }

        @Override
        public void validate(Path source, String field) {
            checkBounds(source, field, min, max);
        }
    }

    /**
     * Log-normal lengths with the given mean and standard deviation of the lengths themselves (not of
     * their logarithm, which is how trace statistics are usually quoted), rounded to the nearest
     * integer and clipped to {@code [min, max]}. Clipping moves the realised mean slightly when the
     * bounds cut into the tails. YAML: {@code {type: lognormal, mean: 600, sd: 400, min: 4, max: 8192}}.
     */
    record LogNormal(
            @JsonProperty(value = "mean", required = true) double mean,
            @JsonProperty(value = "sd", required = true) double sd,
            @JsonProperty(value = "min", required = true) int min,
            @JsonProperty(value = "max", required = true) int max) implements LengthDistribution {
        @Override
        public DiscreteSampler sampler(UniformRandomProvider rng) {
            double sigmaSquared = Math.log1p((sd * sd) / (mean * mean));
            double mu = Math.log(mean) - sigmaSquared / 2;
            if (sigmaSquared == 0) {
                int only = clip(Math.round(mean));
                return () -> only;
            }
            var logNormal = LogNormalSampler.of(ZigguratSampler.NormalizedGaussian.of(rng), mu, Math.sqrt(sigmaSquared));
            return () -> clip(Math.round(logNormal.sample()));
        }

        private int clip(long value) {
            return (int) Math.max(min, Math.min(max, value));
        }

        @Override
        public void validate(Path source, String field) {
            checkBounds(source, field, min, max);
            if (!(mean >= min && mean <= max)) {
                throw SpecFieldError.of(source, SpecFieldError.join(field, "mean"),
                        "expected a value within [min, max] = [" + min + ", " + max + "], got " + mean);
            }
            if (!(sd >= 0) || Double.isInfinite(sd)) {
                throw SpecFieldError.of(source, SpecFieldError.join(field, "sd"),
                        "expected a finite value >= 0, got " + sd);
            }
        }
    }

    private static void checkBounds(Path source, String field, int min, int max) {
        if (min < 1) {
            throw SpecFieldError.of(source, SpecFieldError.join(field, "min"), "expected an integer >= 1, got " + min);
        }
        if (max < min) {
            throw SpecFieldError.of(source, SpecFieldError.join(field, "max"),
                    "expected an integer >= min (" + min + "), got " + max);
        }
    }
}
