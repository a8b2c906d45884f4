package io.agentservesim.power;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes power.csv for a flat run: per instance, the average power (GPUs + host CPU) of every bin of
 * simulated time inside the run's window, from a metered run's {@link PowerTimeline}s. Columns
 * {@code t_s} (bin start), {@code instance}, {@code power_w}; a bin cut by the window's ends is
 * averaged over its part inside. Summing power_w × covered seconds gives the report's GPU + host CPU
 * energy.
 */
public final class PowerCsv {
    public static final String HEADER = "t_s,instance,power_w";

    private PowerCsv() {
    }

    /** Writes the bins of a finished meter over [{@code startNs}, {@code endNs}). */
    public static void write(Path csv, PowerSettings settings, EnergyMeter meter, long startNs, long endNs) {
        meter.finish();
        double base = settings.baseWatts();
        try (BufferedWriter out = Files.newBufferedWriter(csv)) {
            out.write(HEADER + "\n");
            StringBuilder b = new StringBuilder(64);
            for (int i = 0; i < meter.instances(); i++) {
                PowerTimeline t = meter.timeline(i);
                long bin = t.binNs();
                for (long k = startNs / bin; k * bin < endNs; k++) {
                    long from = Math.max(startNs, k * bin);
                    long to = Math.min(endNs, (k + 1) * bin);
                    double watts = base + t.joules((int) k) / ((to - from) / 1e9);
                    b.setLength(0);
                    b.append(String.format(Locale.ROOT, "%.3f", k * bin / 1e9)).append(',').append(i).append(',')
                            .append(String.format(Locale.ROOT, "%.2f", watts)).append('\n');
                    out.append(b);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
