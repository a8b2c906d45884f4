package io.agentservesim.report.html;

import io.agentservesim.error.InputException;
import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * The columns of one CSV table that a report needs, read in one streaming pass (Jackson's CSV parser, so
 * quoted names with commas survive): numeric columns as primitive arrays, text columns as strings; the
 * other columns are skipped, so a two-million-turn turns.csv costs only the kept columns. An empty cell
 * reads as NaN. A missing column or a non-number cell is an input error naming the file, line and column.
 */
final class CsvColumns {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvReadFeature.WRAP_AS_ARRAY).build();

    private final Path file;
    private final Map<String, DoubleArrayList> numbers = new HashMap<>();
    private final Map<String, List<String>> texts = new HashMap<>();
    private int rows;

    private CsvColumns(Path file) {
        this.file = file;
    }

    /** Reads {@code numeric} and {@code text} columns of {@code file}; every named column must exist. */
    static CsvColumns read(Path file, List<String> numeric, List<String> text) {
        CsvColumns t = new CsvColumns(file);
        try (Reader in = Files.newBufferedReader(file);
             MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(in)) {
            if (!it.hasNext()) {
                throw InputException.at(file, "expected a header line, the file is empty");
            }
            String[] header = it.next();
            int[] numIdx = indices(file, header, numeric);
            int[] textIdx = indices(file, header, text);
            DoubleArrayList[] num = new DoubleArrayList[numeric.size()];
            for (int i = 0; i < num.length; i++) {
                num[i] = new DoubleArrayList();
                t.numbers.put(numeric.get(i), num[i]);
            }
            List<List<String>> txt = new ArrayList<>();
            for (String name : text) {
                List<String> col = new ArrayList<>();
                txt.add(col);
                t.texts.put(name, col);
            }
            long line = 1;
            while (it.hasNext()) {
                String[] row = it.next();
                line++;
                if (row.length == 1 && row[0].isEmpty()) {
                    continue;
                }
                for (int i = 0; i < numIdx.length; i++) {
                    num[i].add(number(file, line, numeric.get(i), cell(row, numIdx[i])));
                }
                for (int i = 0; i < textIdx.length; i++) {
                    txt.get(i).add(cell(row, textIdx[i]));
                }
                t.rows++;
            }
        } catch (IOException | JacksonException e) {
            throw InputException.at(file, "cannot read the table: " + e.getMessage());
        }
        return t;
    }

    /** Reads the header only: the column names of {@code file}. */
    static List<String> header(Path file) {
        try (Reader in = Files.newBufferedReader(file);
             MappingIterator<String[]> it = CSV.readerFor(String[].class).readValues(in)) {
            return it.hasNext() ? List.of(it.next()) : List.of();
        } catch (IOException | JacksonException e) {
            throw InputException.at(file, "cannot read the table: " + e.getMessage());
        }
    }

    private static int[] indices(Path file, String[] header, List<String> names) {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = -1;
            for (int c = 0; c < header.length; c++) {
                if (header[c].equals(names.get(i))) {
                    idx[i] = c;
                    break;
                }
            }
            if (idx[i] < 0) {
                throw InputException.at(file, 1, "expected a column " + names.get(i) + " in the header");
            }
        }
        return idx;
    }

    private static String cell(String[] row, int index) {
        return index < row.length ? row[index] : "";
    }

    private static double number(Path file, long line, String column, String cell) {
        if (cell.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw InputException.at(file, line, column + ": expected a number, got '" + cell + "'");
        }
    }

    int rows() { return rows; }

    double[] numbers(String column) {
        return numbers.get(column).toDoubleArray();
    }

    List<String> texts(String column) {
        return texts.get(column);
    }

    Path file() { return file; }
}
