package io.agentservesim.workload;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * What a synthetic workload looks like, as written in YAML (snake_case keys):
 *
 * <pre>
 * num_requests: 1000            # required, >= 1
 * rate_per_sec: 10              # required, >= 0; 0 or .inf puts every arrival at t = 0
 * input:  {type: lognormal, mean: 600, sd: 400, min: 4, max: 8192}   # required
 * output: {type: uniform, min: 16, max: 512}                         # required
 * seed: 42                      # default 0
 * shared_prefix_tokens: 256     # default 0; prepended to the prompt of sharing requests
 * shared_prefix_fraction: 0.5   # default 0; share of requests that start with the prefix
 * token_ids: true               # default false; generate prompt token ids
 * vocab_size: 32000             # default 32000; ids are drawn from [0, vocab_size)
 * </pre>
 *
 * It is a record so that a scenario file can embed it under any key; whoever reads it calls
 * {@link #validate(Path, String)} with the file and the key so errors name both.
 */
public record SyntheticWorkloadSpec(
        @JsonProperty("num_requests") int numRequests,
        @JsonProperty("rate_per_sec") double ratePerSec,
        @JsonProperty("input") LengthDistribution input,
        @JsonProperty("output") LengthDistribution output,
        @JsonProperty("seed") long seed,
        @JsonProperty("shared_prefix_tokens") int sharedPrefixTokens,
        @JsonProperty("shared_prefix_fraction") double sharedPrefixFraction,
        @JsonProperty("token_ids") boolean tokenIds,
        @JsonProperty("vocab_size") int vocabSize) {

    public static final int DEFAULT_VOCAB_SIZE = 32000;

    private static final YAMLMapper YAML = io.agentservesim.error.StrictJackson.yaml();

    /** Jackson's entry point: required keys must be present, optional ones take their defaults. */
    @JsonCreator
    static SyntheticWorkloadSpec fromYaml(
            @JsonProperty(value = "num_requests", required = true) int numRequests,
            @JsonProperty(value = "rate_per_sec", required = true) double ratePerSec,
            @JsonProperty(value = "input", required = true) LengthDistribution input,
            @JsonProperty(value = "output", required = true) LengthDistribution output,
            @JsonProperty("seed") Long seed,
            @JsonProperty("shared_prefix_tokens") Integer sharedPrefixTokens,
            @JsonProperty("shared_prefix_fraction") Double sharedPrefixFraction,
            @JsonProperty("token_ids") Boolean tokenIds,
            @JsonProperty("vocab_size") Integer vocabSize) {
        return new SyntheticWorkloadSpec(numRequests, ratePerSec, input, output,
                seed == null ? 0 : seed,
                sharedPrefixTokens == null ? 0 : sharedPrefixTokens,
                sharedPrefixFraction == null ? 0 : sharedPrefixFraction,
                tokenIds != null && tokenIds,
                vocabSize == null ? DEFAULT_VOCAB_SIZE : vocabSize);
    }

    /** No shared prefix, no token ids, default vocabulary. */
    public static SyntheticWorkloadSpec of(int numRequests, double ratePerSec, LengthDistribution input,
            LengthDistribution output, long seed) {
        return new SyntheticWorkloadSpec(numRequests, ratePerSec, input, output, seed, 0, 0, false, DEFAULT_VOCAB_SIZE);
    }

    /** Binds a spec embedded in another YAML document (not yet validated: call {@link #validate}). */
    public static SyntheticWorkloadSpec fromTree(tools.jackson.databind.JsonNode node) {
        return YAML.treeToValue(node, SyntheticWorkloadSpec.class);
    }

    /** Reads and validates a YAML file holding just this spec. */
    public static SyntheticWorkloadSpec load(Path yaml) {
        SyntheticWorkloadSpec spec;
        try (InputStream in = Files.newInputStream(yaml)) {
            spec = YAML.readValue(in, SyntheticWorkloadSpec.class);
        } catch (NoSuchFileException e) {
            throw InputException.at(yaml, "workload spec not found");
        } catch (IOException e) {
            throw InputException.at(yaml, "cannot read workload spec: " + e.getMessage());
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(yaml, e);
        }
        if (spec == null) {
            throw InputException.at(yaml, "expected a YAML mapping with num_requests, rate_per_sec, input, output");
        }
        return spec.validate(yaml, "");
    }

    /**
     * Checks every value; {@code source} (may be null) and {@code fieldPrefix} (e.g. {@code workload},
     * may be empty) locate the spec in the user's files. Returns {@code this} for chaining.
     */
    public SyntheticWorkloadSpec validate(Path source, String fieldPrefix) {
        if (numRequests < 1) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "num_requests"),
                    "expected an integer >= 1, got " + numRequests);
        }
        if (!(ratePerSec >= 0)) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "rate_per_sec"),
                    "expected a rate >= 0 (0 or .inf: all arrive at t = 0), got " + ratePerSec);
        }
        requireDistribution(source, fieldPrefix, "input", input);
        requireDistribution(source, fieldPrefix, "output", output);
        if (sharedPrefixTokens < 0) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "shared_prefix_tokens"),
                    "expected an integer >= 0, got " + sharedPrefixTokens);
        }
        if (!(sharedPrefixFraction >= 0 && sharedPrefixFraction <= 1)) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "shared_prefix_fraction"),
                    "expected a fraction in [0, 1], got " + sharedPrefixFraction);
        }
        if (sharedPrefixTokens > 0 && !tokenIds) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "token_ids"),
                    "expected true when shared_prefix_tokens > 0 (a prefix can only be shared through token ids)");
        }
        if (vocabSize < 2) {
            throw SpecFieldError.of(source, SpecFieldError.join(fieldPrefix, "vocab_size"),
                    "expected an integer >= 2, got " + vocabSize);
        }
        return this;
    }

    private static void requireDistribution(Path source, String prefix, String name, LengthDistribution d) {
        String field = SpecFieldError.join(prefix, name);
        if (d == null) {
            throw SpecFieldError.of(source, field, "required: a length distribution {type: fixed|uniform|lognormal, ...}");
        }
        d.validate(source, field);
    }

    /** Whether every request arrives at t = 0 (rate 0 or infinite). */
    public boolean allAtTimeZero() {
        return ratePerSec == 0 || Double.isInfinite(ratePerSec);
    }
}
