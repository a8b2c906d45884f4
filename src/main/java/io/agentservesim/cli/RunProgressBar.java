package io.agentservesim.cli;

import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunProgress;
import io.agentservesim.results.TurnRecord;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A run's progress on stderr (me.tongfei progressbar): programs (flat: requests) done out of the total when
 * the source knows it, their rate and the ETA, then the simulated clock and the turns done. The simulation
 * thread only bumps counters; the bar is handed new values at most {@link #REDRAW_NS} apart in wall time and
 * the library's own thread draws it.
 */
final class RunProgressBar implements RunProgress {
    /** A quarter of a second: fast enough to look live, rare enough to cost nothing. */
    static final long REDRAW_NS = 250_000_000L;
    /** The bar's width when no terminal says otherwise (an explicit --progress into a pipe or a file). */
    private static final int FALLBACK_WIDTH = 110;

    private final ProgressBar bar;
    private long programs;
    private long turns;
    private long nextRedrawNs;

    /** {@code expectedPrograms}: the total, or -1 for an open-ended bar (a trace read as it goes). */
    RunProgressBar(long expectedPrograms, boolean flat, boolean terminal, PrintStream err) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(flat ? "requests" : "programs")
                .setInitialMax(expectedPrograms)
                .setUpdateIntervalMillis((int) (REDRAW_NS / 1_000_000))
                .setStyle(terminal ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setUnit("", 1);
        // On a terminal the library asks jline for the width; elsewhere a fixed width spares jline's probe.
        b.setConsumer(terminal ? new ConsoleProgressBarConsumer(err) : new ConsoleProgressBarConsumer(err, FALLBACK_WIDTH));
        this.bar = b.build();
        this.nextRedrawNs = System.nanoTime() + REDRAW_NS;
    }

    @Override
    public void onTurn(TurnRecord turn) {
        turns++;
    }

    @Override
    public void onProgram(ProgramRecord program) {
        programs++;
    }

    @Override
    public void tick(long simNowNs) {
        long wall = System.nanoTime();
        if (wall - nextRedrawNs < 0) {
            return;
        }
        nextRedrawNs = wall + REDRAW_NS;
        bar.stepTo(programs);
        bar.setExtraMessage(String.format(Locale.ROOT, " sim %.1f s, %,d turns", simNowNs / 1e9, turns));
    }

    @Override
    public void done() {
        bar.stepTo(programs);
        bar.setExtraMessage(String.format(Locale.ROOT, " %,d turns", turns));
        bar.close();
    }
}
