package io.agentservesim.residency;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SAGA's workflow-aware eviction order (arXiv 2605.00528 Eq. 6, as the AgentServeSim artifact's
 * {@code saga_runtime.eviction_order} and {@code serving/core/saga_eviction.py} apply it): the programs whose
 * KV sits in the GPU prefix cache are ranked by
 * <pre>
 *   score = 0.3 x idle / longest idle + 0.5 x (1 - P(next turn) x overlap) + 0.2 x resident size / largest
 * </pre>
 * highest first to evict, and the free queue is laid out in that order (LRU within a program). P(next turn)
 * is estimated from the past only: among programs seen to complete k turns, the share seen to start a
 * (k+1)-th; overlap is the mean prefix-hit share of successor turns so far. A block shared by several
 * programs counts to each one's size by the shared-prefix charging rule ({@link PrefixCharging}: SPLIT,
 * 1/n each, as the artifact splits shared radix nodes, by default) and is as evictable as its best-kept owner; blocks of no known program go last. Before any
 * successor has been observed the estimate says nothing and the plain LRU order stands. The order is
 * recomputed at most every {@code intervalNs} of simulated time (a pass over every program's blocks), not
 * at each eviction.
 */
final class SagaEvictionOrder {
    private static final double W_RECENCY = 0.3;
    private static final double W_REUSE = 0.5;
    private static final double W_SIZE = 0.2;

    private final BlockPool pool;
    private final long intervalNs;
    private final Int2ObjectOpenHashMap<long[]> chains = new Int2ObjectOpenHashMap<>();
    private final Int2LongOpenHashMap lastAccessNs = new Int2LongOpenHashMap();
    private final Int2IntOpenHashMap turnsDone = new Int2IntOpenHashMap();
    /** turns completed -> programs seen to continue after that many, and seen at all. */
    private long[] continued = new long[16];
    private long[] seen = new long[16];
    private double overlapSum;
    private long overlapCount;
    private final int[] owners;
    private final int[] classOf;
    private final PrefixCharging charging;
    /** Per block: the program first seen to hold it (HOLDER charging) and the hash it held then (blocks are reused). */
    private final int[] holder;
    private final long[] holderHash;
    private long nextNs;
    private long rankings;

    SagaEvictionOrder(BlockPool pool, long intervalNs) {
        this(pool, intervalNs, PrefixCharging.SPLIT);
    }

    SagaEvictionOrder(BlockPool pool, long intervalNs, PrefixCharging charging) {
        this.pool = pool;
        this.intervalNs = intervalNs;
        this.charging = charging;
        this.owners = new int[pool.numBlocks()];
        this.classOf = new int[pool.numBlocks()];
        this.holder = charging == PrefixCharging.HOLDER ? new int[pool.numBlocks()] : null;
        this.holderHash = charging == PrefixCharging.HOLDER ? new long[pool.numBlocks()] : null;
        if (holder != null) {
            Arrays.fill(holder, -1);
        }
    }

    /** A turn of {@code program} ended; {@code seq} is its KV; {@code hitShare} its prompt's prefix-hit share (successors only, else NaN). */
    void turnEnded(int program, KvSequence seq, long now, boolean programDone, double hitShare) {
        if (!Double.isNaN(hitShare)) {
            overlapSum += Math.max(0, Math.min(1, hitShare));
            overlapCount++;
        }
        int done = turnsDone.get(program) + 1;
        ensure(done);
        seen[done]++;
        if (programDone) {
            chains.remove(program);
            lastAccessNs.remove(program);
            turnsDone.remove(program);
            return;
        }
        turnsDone.put(program, done);
        lastAccessNs.put(program, now);
        int n = seq.numRegisteredBlocks();
        long[] chain = new long[n];
        for (int k = 0; k < n; k++) {
            chain[k] = pool.blockHashOf(seq, k);
            if (holder != null) {
                int b = pool.cachedBlock(chain[k]);
                if (b >= 0 && (holder[b] < 0 || holderHash[b] != chain[k])) {
                    holder[b] = program; // first seen to hold this block's present content
                    holderHash[b] = chain[k];
                }
            }
        }
        chains.put(program, chain);
    }

    /** The program's next turn arrived: its context was wanted again. */
    void turnArrived(int program, long now) {
        int done = turnsDone.get(program);
        if (done > 0) {
            ensure(done);
            continued[done]++;
            lastAccessNs.put(program, now);
        }
    }

    /** Re-lays the free queue when the interval has passed; returns whether it did. */
    boolean maybeReorder(long now) {
        if (now < nextNs || overlapCount == 0 || chains.isEmpty()) {
            return false;
        }
        nextNs = now + intervalNs;
        reorder(now);
        return true;
    }

    long rankings() {
        return rankings;
    }

    private void reorder(long now) {
        int[] ids = chains.keySet().toIntArray();
        Arrays.sort(ids); // a fixed order whatever the hash map's
        for (int p : ids) {
            for (long h : chains.get(p)) {
                int b = pool.cachedBlock(h);
                if (b >= 0) {
                    owners[b]++;
                    if (holder != null && (holderHash[b] != h || !chains.containsKey(holder[b]))) {
                        holder[b] = p; // its holder is gone: the lowest-numbered program still holding it pays
                        holderHash[b] = h;
                    }
                }
            }
        }
        double[] size = new double[ids.length];
        int[] resident = new int[ids.length]; // blocks still cached: HOLDER may charge a sharer nothing, yet it is ranked
        double largest = 0;
        long maxIdle = 0;
        for (int i = 0; i < ids.length; i++) {
            for (long h : chains.get(ids[i])) {
                int b = pool.cachedBlock(h);
                if (b >= 0) {
                    resident[i]++;
                    size[i] += charging.share(owners[b], holder != null && holder[b] == ids[i]);
                }
            }
            largest = Math.max(largest, size[i]);
            maxIdle = Math.max(maxIdle, now - lastAccessNs.get(ids[i]));
        }
        double overlap = overlapSum / overlapCount;
        List<double[]> ranked = new ArrayList<>(ids.length); // {score, last access, program, index}
        for (int i = 0; i < ids.length; i++) {
            if (resident[i] == 0) {
                continue;
            }
            int done = turnsDone.get(ids[i]);
            double p = done < seen.length && seen[done] > 0 ? Math.min(1.0, (double) continued[done] / seen[done]) : 0;
            long last = lastAccessNs.get(ids[i]);
            double recency = maxIdle > 0 ? (double) (now - last) / maxIdle : 0;
            double score = W_RECENCY * recency + W_REUSE * (1 - p * overlap) + W_SIZE * (largest > 0 ? size[i] / largest : 0);
            ranked.add(new double[] {score, last, ids[i], i});
        }
        // Worst to keep first: highest score, then the oldest access, then the program id.
        ranked.sort((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0])
                : a[1] != b[1] ? Double.compare(a[1], b[1]) : Double.compare(a[2], b[2]));
        int n = ranked.size();
        Arrays.fill(classOf, 0); // blocks of no ranked program: evicted last
        int[] keepRank = new int[ids.length];
        Arrays.fill(keepRank, -1);
        for (int r = 0; r < n; r++) {
            keepRank[(int) ranked.get(r)[3]] = r;
        }
        int[] best = owners; // reused: owners are counted, now the best-kept owner's rank + 1 per block
        Arrays.fill(best, 0);
        for (int i = 0; i < ids.length; i++) {
            if (keepRank[i] < 0) {
                continue;
            }
            for (long h : chains.get(ids[i])) {
                int b = pool.cachedBlock(h);
                if (b >= 0 && keepRank[i] + 1 > best[b]) {
                    best[b] = keepRank[i] + 1;
                }
            }
        }
        for (int b = 0; b < best.length; b++) {
            if (best[b] > 0) {
                classOf[b] = n - (best[b] - 1); // rank 0 (worst to keep) -> class n, evicted first
            }
        }
        Arrays.fill(best, 0);
        pool.reorderFreeQueue(classOf, n + 1);
        rankings++;
    }

    private void ensure(int k) {
        if (k >= seen.length) {
            int len = Math.max(k + 1, seen.length * 2);
            seen = Arrays.copyOf(seen, len);
            continued = Arrays.copyOf(continued, len);
        }
    }
}
