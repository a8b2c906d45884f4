package io.agentservesim.cluster;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.power.PowerSampler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Writes a time series per instance every interval of simulated time while the run has work: KV
 * blocks per tier and state (GPU locked / pinned / free-cached / free; host DRAM and CXL tiers used), running and
 * waiting turns, output tokens/s and average power (empty when energy is off) over the interval.
 */
final class InstanceSampler implements EventTarget, AutoCloseable {
    static final String HEADER = "t_s,instance,running,waiting,gpu_locked_blocks,gpu_pinned_blocks,gpu_cached_free_blocks,"
            + "gpu_free_blocks,host_used_blocks,cxl_used_blocks,output_tokens_per_s,power_w";

    private final Simulation sim;
    private final int targetId;
    private final List<ClusterInstance> instances;
    private final long intervalNs;
    private final BooleanSupplier active;
    private final BufferedWriter out;
    private final long[] lastTokens;
    private final PowerSampler power;

    InstanceSampler(Simulation sim, List<ClusterInstance> instances, long intervalNs, BooleanSupplier active, Path csv,
                    PowerSampler power) {
        this.sim = sim;
        this.instances = instances;
        this.intervalNs = intervalNs;
        this.active = active;
        this.lastTokens = new long[instances.size()];
        this.power = power;
        try {
            out = Files.newBufferedWriter(csv);
            out.write(HEADER + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.targetId = sim.register(this);
    }

    void start() {
        sim.schedule(sim.now() + intervalNs, targetId, 0);
    }

    @Override
    public void onEvent(long now, int payload) {
        StringBuilder b = new StringBuilder(128);
        for (int i = 0; i < instances.size(); i++) {
            ClusterInstance c = instances.get(i);
            var pool = c.engine.pool();
            int pinned = c.residency.pinnedBlocks();
            int locked = pool.numUsedBlocks() - pinned;
            int free = pool.numFreeBlocks();
            int cachedFree = pool.numCachedFreeBlocks();
            long tokens = c.engine.scheduler().generatedTokens();
            double tps = (tokens - lastTokens[i]) / (intervalNs / 1e9);
            lastTokens[i] = tokens;
            b.setLength(0);
            b.append(String.format(java.util.Locale.ROOT, "%.3f", now / 1e9)).append(',').append(i).append(',')
                    .append(c.numRunning()).append(',').append(c.numWaiting()).append(',').append(locked).append(',')
                    .append(pinned).append(',').append(cachedFree).append(',')
                    .append(free - cachedFree).append(',')
                    .append(c.residency.host() == null ? 0 : c.residency.host().usedBlocks()).append(',')
                    .append(c.residency.host() == null || c.residency.host().lower() == null ? 0
                            : c.residency.host().lower().usedBlocks()).append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.1f", tps)).append(',');
            if (power != null) {
                b.append(String.format(java.util.Locale.ROOT, "%.1f", power.watts(i, now, c.residency.host())));
            }
            b.append('\n');
            try {
                out.append(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (active.getAsBoolean()) {
            sim.schedule(now + intervalNs, targetId, 0);
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
