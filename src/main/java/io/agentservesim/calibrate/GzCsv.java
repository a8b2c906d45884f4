package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;

/**
 * Streams a gzipped CSV measurement table with a header row (AIConfigurator's and Vidur's tables):
 * columns are found by name, every row must have as many cells as the header, and any problem is one
 * {@link InputException} naming the file and line. Cells are split on commas (these tables quote
 * nothing).
 */
final class GzCsv {
    /** Receives each data row; a {@link NumberFormatException} thrown here is reported at its line. */
    interface RowHandler {
        void row(String[] cells, long line);
    }

    private final Path file;
    private final String[] header;

    private GzCsv(Path file, String[] header) {
        this.file = file;
        this.header = header;
    }

    /** Index of column {@code name}; a missing column is an error naming the header line. */
    int column(String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw InputException.at(file, 1, "column " + name + " missing from the header");
    }

    String[] header() {
        return header.clone();
    }

    /**
     * Reads {@code file}: hands the header to {@code setup}, which picks its columns and returns the
     * handler for the rows, then streams every row to it. {@code what} names the table in errors.
     */
    static void read(Path file, String what, Function<GzCsv, RowHandler> setup) {
        long line = 1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String head = in.readLine();
            if (head == null) {
                throw InputException.at(file, 1, "empty " + what);
            }
            String[] header = head.split(",", -1);
            RowHandler rows = setup.apply(new GzCsv(file, header));
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                String[] cells = text.split(",", -1);
                if (cells.length != header.length) {
                    throw InputException.at(file, line, "expected " + header.length + " columns, got " + cells.length);
                }
                rows.row(cells, line);
            }
        } catch (NumberFormatException e) {
            throw InputException.at(file, line, "not a number: " + e.getMessage());
        } catch (IOException e) {
            throw InputException.at(file, "cannot read " + what + ": " + e.getMessage());
        }
    }
}
