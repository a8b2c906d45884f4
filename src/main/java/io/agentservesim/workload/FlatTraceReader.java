package io.agentservesim.workload;

import io.agentservesim.error.InputException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Streams LLMServingSim's flat workload: JSON Lines, one request per line with {@code input_toks},
 * {@code output_toks}, {@code arrival_time_ns} and optionally {@code input_tok_ids} and
 * {@code output_tok_ids}; plain or gzip (recognised by its magic bytes, whatever the file is called).
 * Only one line is held at a time. Every line is checked strictly, because a silently misread trace
 * gives plausible but wrong latencies: any problem is an {@link InputException} "FILE:LINE: what".
 * Blank lines are skipped; ids are assigned densely from 0 in file order.
 */
public final class FlatTraceReader implements RequestSource {
    private static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final Path file;
    private final BufferedReader lines;
    private long lineNumber;
    private int nextId;
    private long lastArrivalNs;
    private RequestSpec pending;
    private boolean finished;
    private long requestsRead;

    private FlatTraceReader(Path file, BufferedReader lines) {
        this.file = file;
        this.lines = lines;
    }

    /** Opens {@code file}; a missing or unreadable file is an {@link InputException}. */
    public static FlatTraceReader open(Path file) {
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_1 && raw.read() == GZIP_MAGIC_2;
            raw.reset();
            InputStream body = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new FlatTraceReader(file,
                    new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16));
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "workload file not found");
        } catch (IOException e) {
            closeQuietly(raw);
            throw InputException.at(file, "cannot read workload file: " + e.getMessage());
        }
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished) {
            pending = readNext();
            finished = pending == null;
        }
        return pending != null;
    }

    @Override
    public RequestSpec next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more requests in " + file);
        }
        RequestSpec out = pending;
        pending = null;
        return out;
    }

    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RequestSpec readNext() {
        while (true) {
            String line;
            try {
                line = lines.readLine();
            } catch (IOException e) {
                throw InputException.at(file, lineNumber + 1, "cannot read: " + e.getMessage());
            }
            if (line == null) {
                if (requestsRead == 0) {
                    // A run of nothing would print a table of NaN and look like a result.
                    throw InputException.at(file, "no requests: the trace is empty (expected one JSON object per line)");
                }
                return null;
            }
            lineNumber++;
            if (!line.isBlank()) {
                requestsRead++;
                return parse(line);
            }
        }
    }

    private RequestSpec parse(String line) {
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw fail("expected a JSON object");
            }
            long input = -1;
            long output = -1;
            long arrival = -1;
            int[] inputIds = null;
            int[] outputIds = null;
            String key;
            while ((key = p.nextName()) != null) {
                JsonToken value = p.nextToken();
                switch (key) {
                    case "input_toks" -> input = requireUnset(input, key, readLong(p, value, key));
                    case "output_toks" -> output = requireUnset(output, key, readLong(p, value, key));
                    case "arrival_time_ns" -> arrival = requireUnset(arrival, key, readLong(p, value, key));
                    case "input_tok_ids" -> {
                        requireUnset(inputIds, key);
                        inputIds = readIds(p, value, key);
                    }
                    case "output_tok_ids" -> {
                        requireUnset(outputIds, key);
                        outputIds = readIds(p, value, key);
                    }
                    default -> throw fail("unknown key \"" + key
                            + "\" (expected input_toks, output_toks, arrival_time_ns, input_tok_ids, output_tok_ids)");
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw fail("expected a JSON object");
            }
            if (p.nextToken() != null) {
                throw fail("expected one JSON object per line, found more after it");
            }
            return toRequest(input, output, arrival, inputIds, outputIds);
        } catch (JacksonException e) {
            throw fail("malformed JSON: " + io.agentservesim.program.JsonFields.firstLine(e.getOriginalMessage()));
        }
    }

    private RequestSpec toRequest(long input, long output, long arrival, int[] inputIds, int[] outputIds) {
        requirePresent(input, "input_toks");
        requirePresent(output, "output_toks");
        requirePresent(arrival, "arrival_time_ns");
        if (input < 1 || input > Integer.MAX_VALUE) {
            throw fail("input_toks: expected an integer >= 1, got " + input);
        }
        if (output < 1 || output > Integer.MAX_VALUE) {
            throw fail("output_toks: expected an integer >= 1, got " + output);
        }
        if (inputIds != null && inputIds.length != input) {
            throw fail("input_tok_ids: expected " + input + " ids (input_toks), got " + inputIds.length);
        }
        if (outputIds != null && outputIds.length != output) {
            throw fail("output_tok_ids: expected " + output + " ids (output_toks), got " + outputIds.length);
        }
        if (arrival < lastArrivalNs) {
            throw fail("arrival_time_ns: expected non-decreasing arrival times, got " + arrival
                    + " after " + lastArrivalNs);
        }
        lastArrivalNs = arrival;
        return new RequestSpec(nextId++, arrival, (int) input, (int) output, inputIds);
    }

    private long readLong(JsonParser p, JsonToken value, String key) {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw fail(key + ": expected a non-negative integer, got " + describe(p, value));
        }
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw fail(key + ": expected a non-negative integer, got " + p.getString());
        }
        long v = p.getLongValue();
        if (v < 0) {
            throw fail(key + ": expected a non-negative integer, got " + v);
        }
        return v;
    }

    /** Reads an id array straight into an int[], without boxing, growing it by doubling. */
    private int[] readIds(JsonParser p, JsonToken value, String key) {
        if (value != JsonToken.START_ARRAY) {
            throw fail(key + ": expected an array of token ids, got " + describe(p, value));
        }
        int[] ids = new int[256];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                    || p.getIntValue() < 0) {
                throw fail(key + "[" + n + "]: expected a non-negative 32-bit integer token id, got "
                        + describe(p, t));
            }
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = p.getIntValue();
        }
        return n == ids.length ? ids : Arrays.copyOf(ids, n);
    }

    private long requireUnset(long current, String key, long value) {
        if (current != -1) {
            throw fail(key + ": key appears twice");
        }
        return value;
    }

    private void requireUnset(int[] current, String key) {
        if (current != null) {
            throw fail(key + ": key appears twice");
        }
    }

    private void requirePresent(long value, String key) {
        if (value == -1) {
            throw fail(key + ": required key is missing");
        }
    }

    private static String describe(JsonParser p, JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "the string \"" + p.getString() + "\"";
            case VALUE_NULL -> "null";
            default -> p.getString();
        };
    }

    private InputException fail(String what) {
        return InputException.at(file, lineNumber, what);
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException suppressed) {
                // already failing with a clearer message
            }
        }
    }
}
