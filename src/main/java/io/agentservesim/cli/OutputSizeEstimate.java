package io.agentservesim.cli;

import java.util.Locale;

/**
 * How much a run will write, projected before it starts from how many programs (flat: requests) it serves
 * and the bytes a row of each table takes, so that a run that would fill the disk says so first. Rows per
 * program: one in programs.csv and, for a flat run, one in requests.csv; an agent program's turns are not
 * known up front, so its projection counts one turn each and is a lower bound. Time series, power and
 * decisions tables grow with simulated seconds, not with requests, and are left out.
 */
final class OutputSizeEstimate {
    /**
     * Bytes per row, measured on the shipped examples' outputs and rounded up: a requests.csv row without
     * per-token latencies (106 on examples/rtx4090-llama8b-sharegpt.yaml), a turns.csv row (148 there, 163 on
     * examples/agents/fcfs.yaml), a programs.csv row (49 and 60).
     */
    static final long REQUEST_ROW_BYTES = 110;
    static final long TURN_ROW_BYTES = 170;
    static final long PROGRAM_ROW_BYTES = 60;
    /**
     * The ITL list per request with --per-token: 10 bytes per output token ("23456789, "; 6,641 bytes for the
     * 653 output tokens of the ShareGPT example's mean request), times the ~260 output tokens of a typical
     * chat request: 2.6 GB per million requests, as issue 12 measured.
     */
    static final long PER_TOKEN_BYTES_PER_REQUEST = 2_600;

    private OutputSizeEstimate() {
    }

    /** The projected bytes of a run's tables; -1 when the number of programs is not known up front. */
    static long projectedBytes(long programs, boolean flat, boolean perToken) {
        if (programs < 0) {
            return -1;
        }
        long perProgram = PROGRAM_ROW_BYTES + TURN_ROW_BYTES
                + (flat ? REQUEST_ROW_BYTES + (perToken ? PER_TOKEN_BYTES_PER_REQUEST : 0) : 0);
        return Math.multiplyHigh(programs, perProgram) != 0 ? Long.MAX_VALUE : programs * perProgram;
    }

    /** The one-line warning for a projection over {@code limitBytes}, or null when it is under. */
    static String warning(long programs, boolean flat, boolean perToken, long limitBytes) {
        long bytes = projectedBytes(programs, flat, perToken);
        if (bytes < 0 || bytes <= limitBytes) {
            return null;
        }
        return String.format(Locale.ROOT, "warning: this run will write %s%s of tables (%,d %s), over the"
                        + " %s of --warn-output-gib; Ctrl-C stops it",
                flat ? "about " : "at least ", human(bytes), programs, flat ? "requests" : "programs",
                human(limitBytes));
    }

    static String human(long bytes) {
        double gib = bytes / (double) (1L << 30);
        if (gib >= 1) {
            return String.format(Locale.ROOT, "%.1f GiB", gib);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
