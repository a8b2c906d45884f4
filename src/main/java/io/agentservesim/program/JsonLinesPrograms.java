package io.agentservesim.program;

import java.nio.file.Path;
import java.util.NoSuchElementException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The streaming part shared by the program trace readers: one JSON object per line, parsed by a
 * format-specific {@link LineParser}, programs handed out one at a time with dense ids, arrival times
 * checked to be non-decreasing. Malformed JSON becomes "FILE:LINE: malformed JSON: ...".
 */
final class JsonLinesPrograms implements ProgramSource {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Parses one line's object; the parser is positioned on its START_OBJECT. */
    interface LineParser {
        Program parse(JsonParser p, TraceLines lines, long id);
    }

    private final TraceLines lines;
    private final LineParser parser;
    private long nextId;
    private long lastArrivalNs;
    private Program pending;
    private boolean finished;

    JsonLinesPrograms(Path file, LineParser parser) {
        this.lines = TraceLines.open(file);
        this.parser = parser;
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
    public Program next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more programs in " + lines.file());
        }
        Program out = pending;
        pending = null;
        return out;
    }

    @Override
    public void close() {
        lines.close();
    }

    private Program readNext() {
        String line = lines.next();
        if (line == null) {
            if (nextId == 0) {
                throw io.agentservesim.error.InputException.at(lines.file(),
                        "no programs: the trace is empty (expected one JSON object per line)");
            }
            return null;
        }
        Program program;
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw lines.fail("expected a JSON object");
            }
            program = parser.parse(p, lines, nextId);
            if (p.nextToken() != null) {
                throw lines.fail("expected one JSON object per line, found more after it");
            }
        } catch (JacksonException e) {
            throw lines.fail("malformed JSON: " + JsonFields.firstLine(e.getOriginalMessage()));
        }
        if (program.arrivalNs() < lastArrivalNs) {
            throw lines.fail("arrival_time_ns: expected non-decreasing arrival times, got " + program.arrivalNs()
                    + " after " + lastArrivalNs);
        }
        lastArrivalNs = program.arrivalNs();
        nextId++;
        return program;
    }
}
