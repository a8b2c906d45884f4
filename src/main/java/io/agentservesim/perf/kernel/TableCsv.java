package io.agentservesim.perf.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads one gzip CSV kernel table from the classpath (the build copies
 * {@code data/aiconfigurator/step-tables} there), handing each row to a visitor with its columns found
 * by header name. The tables hold plain unquoted fields (numbers, dtype and kernel names).
 */
final class TableCsv {
    /** Columns of the table by header name. */
    static final class Header {
        private final Map<String, Integer> index = new HashMap<>();

        int column(String name) {
            Integer i = index.get(name);
            if (i == null) {
                throw new IllegalStateException("kernel table has no column " + name);
            }
            return i;
        }

        boolean has(String name) {
            return index.containsKey(name);
        }
    }

    interface Row {
        void accept(Header header, String[] cells);
    }

    private TableCsv() {
    }

    /** False when the resource does not exist; otherwise every row after the header visited in file order. */
    static boolean read(String resource, Row row) {
        InputStream raw = TableCsv.class.getResourceAsStream(resource);
        if (raw == null) {
            return false;
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw, 1 << 16),
                StandardCharsets.UTF_8), 1 << 16)) {
            String first = in.readLine();
            if (first == null) {
                return true;
            }
            Header header = new Header();
            String[] names = first.split(",", -1);
            for (int i = 0; i < names.length; i++) {
                header.index.put(names[i].trim(), i);
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isEmpty()) {
                    row.accept(header, line.split(",", -1));
                }
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel table " + resource, e);
        }
    }
}
