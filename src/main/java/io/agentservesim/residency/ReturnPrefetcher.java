package io.agentservesim.residency;

import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefetch before the predicted return: when a program's KV is offloaded at a turn's end, its read-back is
 * timed so that it lands when the tool call is predicted to return. The prediction is a quantile of the
 * log-normal fitted to that tool's past gaps ({@link GapStats#lognormalQuantileNs}; the one gap seen when
 * there is one; no prefetch before any), never the call's own duration. The transfer starts at
 * predicted return - (its time on an idle link) - margin. At that moment, if the next turn has not come,
 * the leading blocks the GPU lost and the host holds are written into free GPU blocks as cached (evictable)
 * blocks, as the invocation-distance prefetch does; a turn arriving while they are still crossing the link
 * waits for them, and one arriving before the prefetch started restores at admission as plain offload does.
 * A prefetch issued too early costs link time and GPU cache space; one too late, the turn's wait. A
 * prefetch only starts on an idle link: on a busy one it would queue behind the restores turns wait for.
 */
final class ReturnPrefetcher implements io.agentservesim.kernel.EventTarget {
    private static final class Plan {
        final int programId;
        final long[] chain;
        final int slot;
        long readyNs = Long.MIN_VALUE;
        boolean cancelled;

        Plan(int programId, long[] chain, int slot) {
            this.programId = programId;
            this.chain = chain;
            this.slot = slot;
        }
    }

    private final Simulation sim;
    private final int targetId;
    private final BlockPool pool;
    private final HostTier host;
    private final long bytesPerBlock;
    private final double quantile;
    private final long marginNs;
    private final DecisionLog log;
    private final Int2ObjectOpenHashMap<Plan> byProgram = new Int2ObjectOpenHashMap<>();
    private final List<Plan> slots = new ArrayList<>();
    private final IntArrayList freeSlots = new IntArrayList();

    /** Bytes read back ahead of turns so far. */
    private long prefetchedBytes;

    ReturnPrefetcher(Simulation sim, BlockPool pool, HostTier host, long bytesPerBlock, double quantile, long marginNs,
                     DecisionLog log) {
        this.sim = sim;
        this.targetId = sim.register(this);
        this.pool = pool;
        this.host = host;
        this.bytesPerBlock = bytesPerBlock;
        this.quantile = quantile;
        this.marginNs = marginNs;
        this.log = log;
    }

    /** The predicted gap of a tool with these past gaps, ns, or -1 when nothing has been observed. */
    double predictedGapNs(GapStats g) {
        if (g.count() == 0) {
            return -1;
        }
        return g.count() == 1 ? g.meanNs() : g.lognormalQuantileNs(quantile);
    }

    /** The program's KV ({@code seq}, its full blocks now on the host tier) was offloaded at {@code now}. */
    void plan(int programId, KvSequence seq, GapStats toolGaps, long now) {
        cancel(programId);
        double gap = predictedGapNs(toolGaps);
        int n = seq.numRegisteredBlocks();
        if (gap < 0 || n == 0) {
            return;
        }
        long[] chain = new long[n];
        for (int k = 0; k < n; k++) {
            chain[k] = pool.blockHashOf(seq, k);
        }
        long lead = host.link().durationNs(n * bytesPerBlock) + marginNs;
        long start = Math.max(now, PinDeadline.after(now, gap) - lead);
        int slot;
        if (freeSlots.isEmpty()) {
            slot = slots.size();
            slots.add(null);
        } else {
            slot = freeSlots.popInt();
        }
        Plan p = new Plan(programId, chain, slot);
        slots.set(slot, p);
        byProgram.put(programId, p);
        sim.schedule(start, targetId, slot);
    }

    /** The prefetch time of plan {@code slot} has come. */
    @Override
    public void onEvent(long now, int slot) {
        prefetchedBytes += fire(slot, now);
    }

    long prefetchedBytes() {
        return prefetchedBytes;
    }

    private long fire(int slot, long now) {
        Plan p = slots.get(slot);
        slots.set(slot, null);
        freeSlots.add(slot);
        if (p.cancelled) {
            return 0;
        }
        if (host.link().busyUntilNs() > now) {
            // Prefetch takes idle link time only: queued behind restores a turn is waiting for, it would land
            // late and delay them (the link is first come, first served).
            p.cancelled = true;
            byProgram.remove(p.programId);
            return 0;
        }
        long[] chain = p.chain;
        int gpu = 0;
        while (gpu < chain.length && pool.cachedBlock(chain[gpu]) >= 0) {
            gpu++;
        }
        int held = host.match(chain, gpu, chain.length - gpu);
        int inserted = 0;
        if (held > 0 && held <= pool.numFreeBlocks() - gpu) {
            pool.touchCached(chain, gpu); // the head the GPU kept must survive the insertion
            inserted = pool.insertCached(chain, gpu, held);
        }
        if (inserted == 0) {
            p.cancelled = true;
            byProgram.remove(p.programId);
            return 0;
        }
        p.readyNs = host.restore(chain, gpu, inserted, now);
        long bytes = inserted * bytesPerBlock;
        log.record(now, p.programId, Decision.PREFETCH, (long) inserted * pool.blockSize(), bytes, p.readyNs);
        return bytes;
    }

    /** When the arriving turn's KV is on the GPU: {@code now} unless its prefetch is still crossing the link. */
    long readyNs(int programId, long now) {
        Plan p = byProgram.isEmpty() ? null : byProgram.get(programId);
        if (p == null || p.cancelled || p.readyNs == Long.MIN_VALUE) {
            return now;
        }
        if (p.readyNs <= now) {
            log.record(now, programId, Decision.PREFETCH_IN_TIME, 0, 0, p.readyNs);
        }
        return Math.max(now, p.readyNs);
    }

    /** The program's next turn arrived (or it left): a prefetch not yet started is dropped. */
    void cancel(int programId) {
        Plan p = byProgram.isEmpty() ? null : byProgram.remove(programId);
        if (p != null) {
            p.cancelled = true;
        }
    }
}
