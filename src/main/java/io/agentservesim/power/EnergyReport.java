package io.agentservesim.power;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ObjectNode;

/**
 * Energy of a run over its window (first arrival to last token, the run's makespan), split by where it
 * is spent: GPUs (idle over the whole window for every GPU of every instance, plus each step's power
 * above idle), host CPUs (constant per instance), host DRAM and host links (per byte moved between GPU
 * and host tiers). Average power = energy / window; energy per output token = energy / output tokens.
 * Rendered as the {@code energy} object of summary.json and one console line.
 *
 * @param settings      the run-level power settings (off: only the note is reported)
 * @param instanceGpus  per instance: its GPU count and catalog id, e.g. "1 x rtx_4090" (heterogeneous
 *                      clusters differ by instance)
 * @param instances     instances of the run
 * @param windowNs      length of the window
 * @param gpuJoules     GPU energy
 * @param hostCpuJoules host CPU energy
 * @param dramJoules    host DRAM energy
 * @param linkJoules    host link energy
 * @param outputTokens  output tokens of the run
 */
public record EnergyReport(
        PowerSettings settings,
        List<String> instanceGpus,
        int instances,
        long windowNs,
        double gpuJoules,
        double hostCpuJoules,
        double dramJoules,
        double linkJoules,
        long outputTokens) {

    /** No accounting: the summary says why. */
    public static EnergyReport off(PowerSettings settings) {
        return new EnergyReport(settings, List.of(), 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The energy of a finished run metered by {@code meter} over [{@code startNs}, {@code endNs}), with
     * {@code transferBytes} moved between GPUs and host memory tiers.
     */
    public static EnergyReport of(PowerSettings settings, EnergyMeter meter, long startNs, long endNs,
                                  long outputTokens, long transferBytes) {
        meter.finish();
        long window = Math.max(0, endNs - startNs);
        double seconds = window / 1e9;
        int n = meter.instances();
        double idleWatts = 0;
        double hostWatts = 0;
        List<String> gpus = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            PowerSettings s = meter.settings(i);
            idleWatts += s.gpusPerInstance() * s.gpu().idleWatts();
            hostWatts += s.hostCpuWatts();
            gpus.add(s.gpusPerInstance() + " x " + s.gpu().id());
        }
        double gpu = idleWatts * seconds + meter.dynamicJoules();
        double host = hostWatts * seconds;
        double bits = transferBytes * 8.0;
        return new EnergyReport(settings, List.copyOf(gpus), n, window, gpu, host, bits * settings.dramPjPerBit() * 1e-12,
                bits * settings.linkPjPerBit() * 1e-12, outputTokens);
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public double totalJoules() {
        return gpuJoules + hostCpuJoules + dramJoules + linkJoules;
    }

    /** Total energy / window, watts. */
    public double averageWatts() {
        return windowNs > 0 ? totalJoules() / (windowNs / 1e9) : 0;
    }

    /** GPU energy / window, watts (all GPUs of all instances). */
    public double gpuAverageWatts() {
        return windowNs > 0 ? gpuJoules / (windowNs / 1e9) : 0;
    }

    public double joulesPerOutputToken() {
        return outputTokens > 0 ? totalJoules() / outputTokens : 0;
    }

    /** Fills the {@code energy} object of summary.json. */
    public void writeTo(ObjectNode o) {
        o.put("enabled", enabled());
        if (!enabled()) {
            o.put("note", settings.note());
            return;
        }
        if (uniform()) {
            o.put("gpu", settings.gpu().id());
            o.put("gpus_per_instance", settings.gpusPerInstance());
        } else {
            o.put("gpu", "mixed");
        }
        tools.jackson.databind.node.ArrayNode each = o.putArray("instance_gpus");
        for (String g : instanceGpus) {
            each.add(g);
        }
        o.put("instances", instances);
        o.put("window_s", round(windowNs / 1e9));
        o.put("energy_j", round(totalJoules()));
        o.put("gpu_j", round(gpuJoules));
        o.put("host_cpu_j", round(hostCpuJoules));
        o.put("dram_j", round(dramJoules));
        o.put("link_j", round(linkJoules));
        o.put("average_power_w", round(averageWatts()));
        o.put("gpu_average_power_w", round(gpuAverageWatts()));
        o.put("j_per_output_token", round(joulesPerOutputToken()));
    }

    /** One console line. */
    public String tableLine() {
        if (!enabled()) {
            return "energy: off (" + settings.note() + ")\n";
        }
        String on = uniform() ? instances + " x " + settings.gpusPerInstance() + " " + settings.gpu().id()
                : String.join(", ", new java.util.TreeSet<>(instanceGpus)) + " (mixed)";
        return String.format(Locale.ROOT, "energy %.1f kJ  average %.1f W (GPUs %.1f W)  %.4f J/output token  on %s%n",
                totalJoules() / 1e3, averageWatts(), gpuAverageWatts(), joulesPerOutputToken(), on);
    }

    /** Whether every instance has the run-level GPU and GPU count. */
    private boolean uniform() {
        String run = settings.gpusPerInstance() + " x " + settings.gpu().id();
        for (String g : instanceGpus) {
            if (!g.equals(run)) {
                return false;
            }
        }
        return true;
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : 0;
    }
}
