package io.agentservesim.perf;

import io.agentservesim.error.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small, strict reader for the profiler's CSV tables. The files are plain comma-separated values
 * with no quoting (the profiler writes op names and numbers only), so the reader splits on commas,
 * checks the header against the expected column names, checks every row's column count, and parses
 * numeric columns eagerly. Any violation becomes an {@link InputException} naming the file and the
 * 1-based line. Blank lines are skipped. Used at load time only.
 */
final class ProfileCsv {
    /** One data row: its 1-based line number in the file and its raw fields. */
    record Row(long line, String[] fields) {}

    private final Path file;
    private final List<Row> rows;

    private ProfileCsv(Path file, List<Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    /** Reads {@code file}, requiring its header to be exactly {@code header}. */
    static ProfileCsv read(Path file, String... header) {
        List<Row> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            long lineNo = 1;
            if (line == null) {
                throw InputException.at(file, 1, "empty file, expected header " + String.join(",", header));
            }
            String[] got = split(stripBom(line));
            if (!Arrays.equals(got, header)) {
                throw InputException.at(file, 1, "expected header " + String.join(",", header)
                        + " but found " + line.strip());
            }
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                if (fields.length != header.length) {
                    throw InputException.at(file, lineNo, "expected " + header.length + " columns ("
                            + String.join(",", header) + ") but found " + fields.length);
                }
                rows.add(new Row(lineNo, fields));
            }
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage(), e);
        }
        return new ProfileCsv(file, rows);
    }

    Path file() { return file; }

    List<Row> rows() { return rows; }

    /** Column {@code col} of {@code row} as a finite number, or an error naming file, line and column. */
    double number(Row row, int col, String name) {
        String s = row.fields()[col];
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw InputException.at(file, row.line(), "column " + name + ": expected a number but found '" + s + "'");
        }
        if (!Double.isFinite(v)) {
            throw InputException.at(file, row.line(), "column " + name + ": expected a finite number but found '" + s + "'");
        }
        return v;
    }

    /** Column {@code col} as a non-negative whole number (axis coordinates such as tokens). */
    int count(Row row, int col, String name) {
        double v = number(row, col, name);
        if (v < 0 || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw InputException.at(file, row.line(), "column " + name
                    + ": expected a non-negative whole number but found '" + row.fields()[col] + "'");
        }
        return (int) v;
    }

    /** Column {@code col} as a time in microseconds that must not be negative. */
    double timeUs(Row row, int col, String name) {
        double v = number(row, col, name);
        if (v < 0) {
            throw InputException.at(file, row.line(), "column " + name + ": expected a non-negative time but found '"
                    + row.fields()[col] + "'");
        }
        return v;
    }

    private static String[] split(String line) {
        String[] parts = line.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip();
        }
        return parts;
    }

    private static String stripBom(String s) {
        return !s.isEmpty() && s.charAt(0) == '\uFEFF' ? s.substring(1) : s;
    }
}
