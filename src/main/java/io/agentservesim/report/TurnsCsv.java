package io.agentservesim.report;

import io.agentservesim.metrics.SloTargets;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnRecord;
import java.nio.file.Path;

/**
 * Streams turns.csv, one row per turn as it finishes (a flat run's requests are one-turn programs),
 * snake_case columns with their units (ns, tokens, bytes). A turn's within_slo is 1 when it met every turn
 * target set (TTFT, TPOT), 0 when it missed one, empty when none is set; its prefill_kind is cold or resume
 * ({@link io.agentservesim.engine.PrefillKind}).
 */
public final class TurnsCsv implements RunListener, AutoCloseable {
    public static final String TURNS_HEADER = "program_id,turn_index,instance,arrival_ns,prompt_tokens,output_tokens,ttft_ns,"
            + "tpot_ns,e2e_ns,queueing_ns,cache_hit_tokens,recomputed_tokens,restored_bytes,preemptions,prefill_instance,"
            + "prefill_queue_ns,prefill_ns,kv_transfer_ns,decode_queue_ns,kv_transfer_bytes,within_slo,itl_p50_ns,itl_p95_ns,"
            + "itl_max_ns,prefill_kind,tool_name,tool_gap_ns";

    private final TableWriter turns;
    private final SloTargets slo;

    /** {@code slo}: the targets within_slo judges (empty when no turn target is set). */
    public TurnsCsv(Path file, SloTargets slo) {
        turns = new TableWriter(file, TURNS_HEADER);
        this.slo = slo;
    }

    @Override
    public void onTurn(TurnRecord t) {
        StringBuilder b = turns.start();
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
                .append(t.prefillKind().label()).append(',');
        quoted(b, t.toolName()).append(',');
        if (t.toolGapNs() >= 0) {
            b.append(t.toolGapNs());
        }
        turns.end();
    }

    @Override
    public void onProgram(ProgramRecord p) {
    }

    /** A name as a quoted CSV field (double quotes inside become single ones); empty when null. */
    static StringBuilder quoted(StringBuilder b, String s) {
        return s == null ? b : b.append('"').append(s.replace('"', '\'')).append('"');
    }

    @Override
    public void close() {
        turns.close();
    }
}
