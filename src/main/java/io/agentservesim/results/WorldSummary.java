package io.agentservesim.results;

import io.agentservesim.metrics.JsonOut;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * The world-step side of a multi-agent simulation's outputs: {@code steps.csv} (one row per world step, streamed)
 * and the {@code world} object of summary.json: steps, calls, the active rate (calls / (agents x steps)), the
 * simulated time per world step (its calls' barrier-to-barrier span, the world's own step time excluded) and the
 * end-to-end time of the whole simulation, and what the invocation-distance prefetch read ahead (0 under
 * other policies).
 */
public final class WorldSummary implements Consumer<WorldStepRecord>, AutoCloseable {
    static final String HEADER = "step,start_ns,end_ns,duration_ns,calls,rejected_calls,prompt_tokens,cache_hit_tokens,max_ttft_ns";

    private final int agents;
    private final LatencyDistribution stepTime = new LatencyDistribution();
    private final BufferedWriter csv;
    private final StringBuilder line = new StringBuilder(96);
    private long steps;
    private long calls;
    private long rejected;
    private long firstStartNs = -1;
    private long lastEndNs;
    private long prefetchedBytes;
    private long prefetchStops;
    /** LoRA adapter counters, summed over instances; written only when adapters ran (loraSlots > 0). */
    private long loraSlots, loraBytesPerAdapter, loraLoads, loraLoadedBytes, loraEvictions, loraPrefetched,
            loraWaits, loraDropped, kvBlocks;
    private int loraMaxBatch;

    public WorldSummary(int agents, Path stepsCsv) {
        this.agents = agents;
        try {
            this.csv = stepsCsv == null ? null : Files.newBufferedWriter(stepsCsv);
            if (csv != null) {
                csv.write(HEADER + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(WorldStepRecord s) {
        steps++;
        calls += s.calls() - s.rejectedCalls();
        rejected += s.rejectedCalls();
        stepTime.record(s.durationNs());
        if (firstStartNs < 0) {
            firstStartNs = s.startNs();
        }
        lastEndNs = Math.max(lastEndNs, s.endNs());
        if (csv != null) {
            line.setLength(0);
            line.append(s.step()).append(',').append(s.startNs()).append(',').append(s.endNs()).append(',')
                    .append(s.durationNs()).append(',').append(s.calls()).append(',').append(s.rejectedCalls())
                    .append(',').append(s.promptTokens()).append(',').append(s.hitTokens()).append(',')
                    .append(s.maxTtftNs()).append('\n');
            try {
                csv.append(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** An instance's invocation-distance prefetch: bytes read ahead of the calls, rounds stopped short. */
    public void addPrefetch(long bytes, long stops) {
        prefetchedBytes += bytes;
        prefetchStops += stops;
    }

    /**
     * An instance's LoRA adapters: its GPU slots and adapter size, loads (on demand and ahead), slots taken over,
     * adapters the prefetch loaded, admissions that waited for a free slot, loads dropped in flight, the most
     * distinct adapters of one batch, and the KV blocks left beside the adapter pool.
     */
    public void addLora(int slots, long bytesPerAdapter, long loads, long loadedBytes, long evictions, long prefetched,
                        long waits, long dropped, int maxBatch, long blocks) {
        loraSlots += slots;
        loraBytesPerAdapter = bytesPerAdapter;
        loraLoads += loads;
        loraLoadedBytes += loadedBytes;
        loraEvictions += evictions;
        loraPrefetched += prefetched;
        loraWaits += waits;
        loraDropped += dropped;
        loraMaxBatch = Math.max(loraMaxBatch, maxBatch);
        kvBlocks += blocks;
    }

    double activeRate() {
        return steps == 0 ? 0 : (double) (calls + rejected) / ((double) agents * steps);
    }

    LatencyDistribution stepTime() {
        return stepTime;
    }

    long endToEndNs() {
        return firstStartNs < 0 ? 0 : lastEndNs - firstStartNs;
    }

    public void writeTo(ObjectNode w) {
        w.put("agents", agents);
        w.put("steps", steps);
        w.put("calls", calls);
        w.put("rejected_calls", rejected);
        w.put("active_rate", JsonOut.round(activeRate()));
        ObjectNode t = w.putObject("step_time_s");
        t.put("mean", JsonOut.round(stepTime.meanMs() / 1e3));
        t.put("p50", JsonOut.round(stepTime.percentileMs(50) / 1e3));
        t.put("p99", JsonOut.round(stepTime.percentileMs(99) / 1e3));
        t.put("max", JsonOut.round(stepTime.maxMs() / 1e3));
        w.put("end_to_end_s", JsonOut.round(endToEndNs() / 1e9));
        w.put("prefetched_bytes", prefetchedBytes);
        w.put("prefetch_stops", prefetchStops);
        if (loraSlots > 0) {
            ObjectNode l = w.putObject("lora");
            l.put("gpu_slots", loraSlots);
            l.put("bytes_per_adapter", loraBytesPerAdapter);
            l.put("kv_blocks_beside_adapters", kvBlocks);
            l.put("loads", loraLoads);
            l.put("loaded_bytes", loraLoadedBytes);
            l.put("prefetched_adapters", loraPrefetched);
            l.put("evictions", loraEvictions);
            l.put("dropped_loads", loraDropped);
            l.put("slot_waits", loraWaits);
            l.put("max_adapters_in_a_batch", loraMaxBatch);
        }
    }

    public String tableLine() {
        return String.format(Locale.ROOT, "world: %d agents, %d steps, %d calls (active %.1f%%)  step s: mean %.3f p50 %.3f p99 %.3f  end-to-end %.1f s%n",
                agents, steps, calls, 100 * activeRate(), stepTime.meanMs() / 1e3, stepTime.percentileMs(50) / 1e3,
                stepTime.percentileMs(99) / 1e3, endToEndNs() / 1e9);
    }

    @Override
    public void close() {
        if (csv != null) {
            try {
                csv.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
