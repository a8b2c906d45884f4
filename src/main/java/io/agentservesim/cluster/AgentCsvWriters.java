package io.agentservesim.cluster;

import io.agentservesim.metrics.SloTargets;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams turns.csv and programs.csv, one row per turn and per program as they finish. A turn's within_slo
 * is 1 when it met every turn target set (TTFT, TPOT), 0 when it missed one, empty when none is set; its
 * prefill_kind is cold or resume ({@link io.agentservesim.engine.PrefillKind}).
 */
public final class AgentCsvWriters implements ClusterListener, AutoCloseable {
    static final String TURNS_HEADER = "program_id,turn_index,instance,arrival_ns,prompt_tokens,output_tokens,ttft_ns,"
            + "tpot_ns,e2e_ns,queueing_ns,cache_hit_tokens,recomputed_tokens,restored_bytes,preemptions,prefill_instance,"
            + "prefill_queue_ns,prefill_ns,kv_transfer_ns,decode_queue_ns,kv_transfer_bytes,within_slo,itl_p50_ns,itl_p95_ns,itl_max_ns,prefill_kind";
    static final String PROGRAMS_HEADER = "program_id,name,arrival_ns,end_ns,jct_ns,turns,rejected";

    private final BufferedWriter turns;
    private final BufferedWriter programs;
    private final StringBuilder line = new StringBuilder(160);
    private final SloTargets slo;

    /** {@code slo}: the targets turns.csv's within_slo judges (empty when no turn target is set). */
    public AgentCsvWriters(Path turnsCsv, Path programsCsv, SloTargets slo) {
        this.slo = slo;
        try {
            turns = Files.newBufferedWriter(turnsCsv);
            programs = Files.newBufferedWriter(programsCsv);
            turns.write(TURNS_HEADER + "\n");
            programs.write(PROGRAMS_HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onTurn(TurnRecord t) {
        StringBuilder b = line;
        b.setLength(0);
        b.append(t.programId()).append(',').append(t.turnIndex()).append(',').append(t.instance()).append(',')
                .append(t.arrivalNs()).append(',').append(t.promptTokens()).append(',').append(t.outputTokens())
                .append(',').append(t.ttftNs()).append(',').append(t.tpotNs()).append(',').append(t.e2eNs())
                .append(',').append(t.queueingNs()).append(',').append(t.hitTokens()).append(',')
                .append(t.recomputedTokens()).append(',').append(t.restoredBytes()).append(',')
                .append(t.preemptions()).append(',').append(t.prefillInstance()).append(',')
                .append(t.prefillQueueNs()).append(',').append(t.prefillNs()).append(',').append(t.kvTransferNs())
                .append(',').append(t.decodeQueueNs()).append(',').append(t.kvTransferBytes()).append(',');
        // within_slo stays empty without turn targets; it is not the last column, so naive splitters keep it.
        if (slo.hasTurnTarget()) {
            b.append(slo.withinTtft(t.ttftNs()) && slo.withinTpot(t.tpotNs(), t.hasTpot()) ? 1 : 0);
        }
        b.append(',').append(t.itlP50Ns()).append(',').append(t.itlP95Ns()).append(',').append(t.itlMaxNs()).append(',')
                .append(t.prefillKind().label())
                .append('\n');
        write(turns, b);
    }

    @Override
    public void onProgram(ProgramRecord p) {
        StringBuilder b = line;
        b.setLength(0);
        String name = p.name() == null ? "" : p.name().replace('"', '\'');
        b.append(p.programId()).append(",\"").append(name).append("\",").append(p.arrivalNs()).append(',')
                .append(p.endNs()).append(',').append(p.jctNs()).append(',').append(p.turns()).append(',')
                .append(p.rejected()).append('\n');
        write(programs, b);
    }

    private static void write(BufferedWriter w, StringBuilder b) {
        try {
            w.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            turns.close();
            programs.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
