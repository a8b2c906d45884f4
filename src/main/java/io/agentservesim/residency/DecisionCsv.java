package io.agentservesim.residency;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * decisions.csv: one row per policy decision of every instance, in simulated-time order (the order the
 * kernel makes them, so the file is byte-identical run to run). Columns: time_ns, instance, program_id (-1
 * for a plain request), decision ({@link Decision#csvName}), tokens, bytes, detail_ns (a pin's deadline, when
 * a transfer lands; 0 otherwise). Written only when {@code outputs.decisions} is on: a busy run makes
 * several rows per turn.
 */
public final class DecisionCsv implements DecisionLog.Sink, AutoCloseable {
    static final String HEADER = "time_ns,instance,program_id,decision,tokens,bytes,detail_ns";

    private final BufferedWriter out;
    private final StringBuilder line = new StringBuilder(80);

    public DecisionCsv(Path file) {
        try {
            out = Files.newBufferedWriter(file);
            out.write(HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void decision(long nowNs, int instance, int programId, Decision kind, long tokens, long bytes, long detailNs) {
        StringBuilder b = line;
        b.setLength(0);
        b.append(nowNs).append(',').append(instance).append(',').append(programId).append(',').append(kind.csvName())
                .append(',').append(tokens).append(',').append(bytes).append(',').append(detailNs).append('\n');
        try {
            out.append(b);
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
