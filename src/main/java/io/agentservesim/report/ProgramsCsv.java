package io.agentservesim.report;

import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnRecord;
import java.nio.file.Path;

/** Streams programs.csv, one row per program as it ends (or is rejected). */
public final class ProgramsCsv implements RunListener, AutoCloseable {
    public static final String HEADER = "program_id,name,arrival_ns,end_ns,jct_ns,turns,rejected";

    private final TableWriter programs;

    public ProgramsCsv(Path file) {
        programs = new TableWriter(file, HEADER);
    }

    @Override
    public void onTurn(TurnRecord turn) {
    }

    @Override
    public void onProgram(ProgramRecord p) {
        StringBuilder b = programs.start();
        b.append(p.programId()).append(',');
        TurnsCsv.quoted(b, p.name()).append(',').append(p.arrivalNs()).append(',')
                .append(p.endNs()).append(',').append(p.jctNs()).append(',').append(p.turns()).append(',')
                .append(p.rejected());
        programs.end();
    }

    @Override
    public void close() {
        programs.close();
    }
}
