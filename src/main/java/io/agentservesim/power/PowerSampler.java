package io.agentservesim.power;

import io.agentservesim.residency.HostTier;
/**
 * The {@code power_w} column of an agent run's time series: per instance, the average power over the
 * interval since its previous sample — GPUs (idle plus the part of each step's power inside the
 * interval) and host CPU, plus the DRAM and link energy of the bytes its host tiers moved in the
 * interval. Keeps the previous sample's totals; O(1) per sample.
 */
public final class PowerSampler {
    private final PowerSettings settings;
    private final EnergyMeter meter;
    private final long[] lastNs;
    private final double[] lastJoules;
    private final long[] lastBytes;

    public PowerSampler(PowerSettings settings, EnergyMeter meter) {
        this.settings = settings;
        this.meter = meter;
        int n = meter.instances();
        this.lastNs = new long[n];
        this.lastJoules = new double[n];
        this.lastBytes = new long[n];
    }

    /** Average watts of instance {@code i} since its last sample, up to {@code now}; {@code host} may be null. */
    public double watts(int i, long now, HostTier host) {
        double joules = meter.dynamicJoulesUpTo(i, now);
        long bytes = bytesMoved(host);
        long span = now - lastNs[i];
        double base = meter.settings(i).baseWatts();
        double w = span <= 0 ? base
                : base + (joules - lastJoules[i] + settings.transferJoules(bytes - lastBytes[i])) / (span / 1e9);
        lastNs[i] = now;
        lastJoules[i] = joules;
        lastBytes[i] = bytes;
        return w;
    }

    /** Bytes moved over the links of a host tier chain (DRAM, then CXL below it). */
    public static long bytesMoved(HostTier host) {
        long sum = 0;
        for (HostTier t = host; t != null; t = t.lower()) {
            sum += t.link().bytesMoved();
        }
        return sum;
    }
}
