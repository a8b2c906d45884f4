package io.agentservesim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlatTraceReaderTest {
    private static final Path SHAREGPT = Path.of("data/llmservingsim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz");
    private static final Path EXAMPLE = Path.of("data/llmservingsim/workloads/example_trace.jsonl");
    private static final String GOOD = "{\"input_toks\":2,\"output_toks\":3,\"arrival_time_ns\":%d,"
            + "\"input_tok_ids\":[7,8],\"output_tok_ids\":[1,2,3]}";

    @TempDir
    Path dir;

    @Test
    void readsTheShareGptTrace() {
        List<RequestSpec> all = readAll(SHAREGPT);
        assertThat(all).hasSize(300);
        RequestSpec first = all.get(0);
        assertThat(first.id()).isZero();
        assertThat(first.inputTokens()).isEqualTo(2358);
        assertThat(first.outputTokens()).isEqualTo(531);
        assertThat(first.arrivalNs()).isEqualTo(46926808L);
        assertThat(first.inputTokenIds()).hasSize(2358).startsWith(5971, 2927, 220, 1032);
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).id()).isEqualTo(i);
            assertThat(all.get(i).inputTokenIds()).hasSize(all.get(i).inputTokens());
            if (i > 0) {
                assertThat(all.get(i).arrivalNs()).isGreaterThanOrEqualTo(all.get(i - 1).arrivalNs());
            }
        }
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path plain = dir.resolve("trace.jsonl.gz");
        try (var in = new GZIPInputStream(Files.newInputStream(SHAREGPT))) {
            Files.write(plain, in.readAllBytes());
        }
        Path gzipNoExtension = dir.resolve("trace.jsonl");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipNoExtension))) {
            out.write(Files.readAllBytes(EXAMPLE));
        }
        assertSameRequests(readAll(plain), readAll(SHAREGPT));
        assertSameRequests(readAll(gzipNoExtension), readAll(EXAMPLE));
    }

    @Test
    void readsTheExampleTraceWithoutIdsOptional() throws IOException {
        assertThat(readAll(EXAMPLE)).hasSize(10).first().satisfies(r -> {
            assertThat(r.inputTokens()).isEqualTo(10);
            assertThat(r.inputTokenIds()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        });
        Path noIds = write("{\"input_toks\":4,\"output_toks\":1,\"arrival_time_ns\":0}", "",
                "{\"input_toks\":1,\"output_toks\":9,\"arrival_time_ns\":0}");
        List<RequestSpec> all = readAll(noIds);
        assertThat(all).extracting(RequestSpec::id).containsExactly(0, 1);
        assertThat(all.get(0).inputTokenIds()).isNull();
        assertThat(all.get(1).outputTokens()).isEqualTo(9);
    }

    @Test
    void malformedJsonReportsItsLine() throws IOException {
        Path file = write(GOOD.formatted(1), GOOD.formatted(2), "{\"input_toks\":2,", GOOD.formatted(4));
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":3: malformed JSON")
                .message().doesNotContain("\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "missing output_toks | {\"input_toks\":2,\"arrival_time_ns\":5} | output_toks: required key is missing",
        "ids length mismatch | {\"input_toks\":3,\"output_toks\":1,\"arrival_time_ns\":5,\"input_tok_ids\":[1,2]} | input_tok_ids: expected 3 ids",
        "output ids mismatch | {\"input_toks\":1,\"output_toks\":2,\"arrival_time_ns\":5,\"output_tok_ids\":[1]} | output_tok_ids: expected 2 ids",
        "decreasing arrival  | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":1} | arrival_time_ns: expected non-decreasing",
        "zero input          | {\"input_toks\":0,\"output_toks\":1,\"arrival_time_ns\":5} | input_toks: expected an integer >= 1",
        "zero output         | {\"input_toks\":1,\"output_toks\":0,\"arrival_time_ns\":5} | output_toks: expected an integer >= 1",
        "negative arrival    | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":-5} | arrival_time_ns: expected a non-negative integer",
        "float length        | {\"input_toks\":1.5,\"output_toks\":1,\"arrival_time_ns\":5} | input_toks: expected a non-negative integer",
        "string length       | {\"input_toks\":\"4\",\"output_toks\":1,\"arrival_time_ns\":5} | input_toks: expected a non-negative integer",
        "unknown key         | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":5,\"prio\":1} | unknown key \"prio\"",
        "duplicate key       | {\"input_toks\":1,\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":5} | input_toks: key appears twice",
        "negative token id   | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":5,\"input_tok_ids\":[-1]} | input_tok_ids[0]: expected a non-negative 32-bit integer",
        "ids not an array    | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":5,\"input_tok_ids\":7} | input_tok_ids: expected an array",
        "array line          | [1,2,3] | expected a JSON object",
        "two objects on line | {\"input_toks\":1,\"output_toks\":1,\"arrival_time_ns\":5} {} | expected one JSON object per line",
    })
    void badLineIsReportedWithFileLineAndExpectation(String name, String badLine, String expected) throws IOException {
        Path file = write(GOOD.formatted(2), badLine);
        assertThatThrownBy(() -> readAll(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file + ":2: ")
                .hasMessageContaining(expected);
    }

    @Test
    void readsLazilySoEarlierRequestsArriveBeforeALaterBadLine() throws IOException {
        Path file = write(GOOD.formatted(1), GOOD.formatted(2), "not json");
        try (FlatTraceReader reader = FlatTraceReader.open(file)) {
            assertThat(reader.next().arrivalNs()).isEqualTo(1);
            assertThat(reader.next().arrivalNs()).isEqualTo(2);
            assertThatThrownBy(reader::hasNext).hasMessageStartingWith(file + ":3: malformed JSON");
        }
    }

    @Test
    void missingFileIsAnInputError() {
        Path missing = dir.resolve("absent.jsonl");
        assertThatThrownBy(() -> FlatTraceReader.open(missing))
                .isInstanceOf(InputException.class)
                .hasMessage(missing + ": workload file not found");
    }

    @Test
    void truncatedGzipIsAnInputError() throws IOException {
        byte[] gz = Files.readAllBytes(SHAREGPT);
        Path file = dir.resolve("cut.gz");
        Files.write(file, java.util.Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> readAll(file)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(file.toString() + ":");
    }

    private static void assertSameRequests(List<RequestSpec> a, List<RequestSpec> b) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).usingRecursiveComparison().isEqualTo(b.get(i));
        }
    }

    private static List<RequestSpec> readAll(Path file) {
        List<RequestSpec> out = new ArrayList<>();
        try (FlatTraceReader reader = FlatTraceReader.open(file)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }

    private Path write(String... lines) throws IOException {
        Path file = Files.createTempFile(dir, "trace", ".jsonl");
        return Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }
}
