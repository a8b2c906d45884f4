package io.agentservesim.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One CSV file written row by row as results stream in: a header, then lines built in a reused buffer. */
final class TableWriter implements AutoCloseable {
    private final BufferedWriter out;
    final StringBuilder line = new StringBuilder(256);

    TableWriter(Path file, String header) {
        try {
            out = Files.newBufferedWriter(file);
            out.write(header);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An empty line buffer to fill. */
    StringBuilder start() {
        line.setLength(0);
        return line;
    }

    /** Writes the buffer as one row. */
    void end() {
        line.append('\n');
        try {
            out.append(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
