package io.agentservesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyntheticWorkloadSpecTest {
    private static final String FULL = """
            num_requests: 1000
            rate_per_sec: 10
            input:  {type: lognormal, mean: 600, sd: 400, min: 4, max: 8192}
            output: {type: uniform, min: 16, max: 512}
            seed: 42
            shared_prefix_tokens: 256
            shared_prefix_fraction: 0.5
            token_ids: true
            vocab_size: 128256
            """;
    private static final String MINIMAL = """
            num_requests: 3
            rate_per_sec: .inf
            input: {type: fixed, tokens: 128}
            output: {type: fixed, tokens: 1}
            """;

    @TempDir
    Path dir;

    @Test
    void readsEveryKey() throws IOException {
        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.load(write(FULL));
        assertThat(spec).isEqualTo(new SyntheticWorkloadSpec(1000, 10,
                LengthDistribution.lognormal(600, 400, 4, 8192), LengthDistribution.uniform(16, 512),
                42, 256, 0.5, true, 128256));
    }

    @Test
    void optionalKeysTakeDefaults() throws IOException {
        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.load(write(MINIMAL));
        assertThat(spec).isEqualTo(new SyntheticWorkloadSpec(3, Double.POSITIVE_INFINITY,
                LengthDistribution.fixed(128), LengthDistribution.fixed(1), 0, 0, 0, false,
                SyntheticWorkloadSpec.DEFAULT_VOCAB_SIZE));
        assertThat(spec.allAtTimeZero()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rate_per_sec: 10              | rate_per_sec: -1               | rate_per_sec: expected a rate >= 0",
        "num_requests: 1000            | num_requests: 0                | num_requests: expected an integer >= 1",
        "'output: {type: uniform, min: 16, max: 512}' | 'output: {type: uniform, min: 16, max: 8}' | output.max: expected an integer >= min (16)",
        "'min: 4, max'                 | 'min: 0, max'                  | input.min: expected an integer >= 1",
        "'mean: 600'                   | 'mean: 9000'                   | input.mean: expected a value within [min, max]",
        "'sd: 400'                     | 'sd: -1'                       | input.sd: expected a finite value >= 0",
        "shared_prefix_fraction: 0.5   | shared_prefix_fraction: 1.5    | shared_prefix_fraction: expected a fraction in [0, 1]",
        "shared_prefix_tokens: 256     | shared_prefix_tokens: -2       | shared_prefix_tokens: expected an integer >= 0",
        "token_ids: true               | token_ids: false               | token_ids: expected true when shared_prefix_tokens > 0",
        "vocab_size: 128256            | vocab_size: 1                  | vocab_size: expected an integer >= 2",
    })
    void impossibleValueNamesItsFieldPath(String good, String bad, String expected) throws IOException {
        assertThat(FULL).contains(good);
        Path file = write(FULL.replace(good, bad));
        assertThatThrownBy(() -> SyntheticWorkloadSpec.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ": " + expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "seed: 42                      | colour: blue                   | unknown key 'colour'",
        "num_requests: 1000            | num_requests: 10.5             | num_requests",
        "num_requests: 1000            | num_requests: many             | num_requests",
        "num_requests: 1000            | ''                             | num_requests",
        "seed: 42                      | num_requests: 5                | Duplicate",
        "type: uniform                 | type: zipf                     | unknown type 'zipf' (expected one of: fixed, lognormal, uniform)",
        "'tokens: 128'                 | 'tokens: 128, size: 1'         | unknown key 'size'",
        "'tokens: 128'                 | 'size: 128'                    | input.tokens: required key is missing",
    })
    void malformedYamlIsOneLineWithFileAndField(String good, String bad, String expected) throws IOException {
        String base = good.contains("tokens") ? MINIMAL : FULL;
        Path file = write(base.replace(good, bad));
        assertThatThrownBy(() -> SyntheticWorkloadSpec.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file.toString() + ":")
                .hasMessageContaining(expected)
                .message().doesNotContain("\n");
    }

    @Test
    void embeddedSpecErrorsCarryTheCallersPrefix() {
        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.of(10, 1, LengthDistribution.uniform(5, 2),
                LengthDistribution.fixed(1), 0);
        Path scenario = Path.of("scenario.yaml");
        assertThatThrownBy(() -> spec.validate(scenario, "workload"))
                .hasMessage("scenario.yaml: workload.input.max: expected an integer >= min (5), got 2");
        assertThatThrownBy(() -> new SyntheticWorkload(spec))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("input.max");
    }

    @Test
    void missingFileIsAnInputError() {
        Path missing = dir.resolve("none.yaml");
        assertThatThrownBy(() -> SyntheticWorkloadSpec.load(missing))
                .isInstanceOf(InputException.class)
                .hasMessage(missing + ": workload spec not found");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "spec", ".yaml"), yaml);
    }
}
