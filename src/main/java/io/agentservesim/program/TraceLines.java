package io.agentservesim.program;

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
import java.util.zip.GZIPInputStream;

/**
 * The non-blank lines of a JSON Lines trace, plain or gzip (recognised by its magic bytes whatever the
 * file is called), one at a time, remembering the line number so every error reads "FILE:LINE: what".
 */
public final class TraceLines implements AutoCloseable {
    private static final int GZIP_MAGIC_1 = 0x1f;
    private static final int GZIP_MAGIC_2 = 0x8b;

    private final Path file;
    private final BufferedReader reader;
    private long lineNumber;

    private TraceLines(Path file, BufferedReader reader) {
        this.file = file;
        this.reader = reader;
    }

    public static TraceLines open(Path file) {
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == GZIP_MAGIC_1 && raw.read() == GZIP_MAGIC_2;
            raw.reset();
            InputStream body = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new TraceLines(file, new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16));
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "trace not found");
        } catch (IOException e) {
            if (raw != null) {
                try {
                    raw.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw InputException.at(file, "cannot read trace: " + e.getMessage());
        }
    }

    /** The next non-blank line, or null at the end. */
    public String next() {
        while (true) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw InputException.at(file, lineNumber + 1, "cannot read: " + e.getMessage());
            }
            if (line == null) {
                return null;
            }
            lineNumber++;
            if (!line.isBlank()) {
                return line;
            }
        }
    }

    public Path file() {
        return file;
    }

    /** "FILE:LINE: what" for the line last returned. */
    public InputException fail(String what) {
        return InputException.at(file, lineNumber, what);
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
