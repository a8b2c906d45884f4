package io.agentservesim.residency;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.lora.AdapterPool;
import io.agentservesim.world.InvocationHints;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The two mechanisms of ScaleSim's invocation distance on one instance, driven by the hints a multi-agent
 * simulation publishes at each world step (PanZaifeng/KVFlow, read for the rules):
 *
 * <ul>
 * <li><b>Priority eviction</b> ({@code AgentManager.get_agent_hold_priority}, {@code HiRadixCache.evict}). An
 *     agent's priority is {@code min(level + 1, distance)} ({@code level + 1} when its distance is unknown); a
 *     cached block's priority is the minimum over the agents whose last call's KV holds it (no owner:
 *     {@code level + 2}). Eviction runs in passes with a threshold from {@code level - 1} down to 1, each pass
 *     evicting blocks of priority at least the threshold, then a last pass ignoring priority. Here that order
 *     is laid into the GPU pool's free queue at each world step ({@link BlockPool#reorderFreeQueue}): classes
 *     {@code min(priority, level - 1)}, highest first, LRU within a class (KVFlow walks a pass's leaves in
 *     collection order; LRU is SGLang's order and keeps the pool's own rule). Blocks freed between two world
 *     steps are those of agents calling now (distance 0), so they join the last class at the queue's tail,
 *     where the pool puts them anyway.</li>
 * <li><b>Prefetch ahead</b> ({@code DispatchLoadTasks}, run when the hints arrive, before the step's calls).
 *     For distance 0, 1 ... {@code load_ahead_step}, in order, each due agent's KV that the GPU lost and the
 *     host tier holds is read back over the host link into the GPU prefix cache, as evictable blocks of the
 *     agent's class (KVFlow's loaded nodes: locked only while loading, not held for the call). The whole
 *     prefetch stops at the first agent whose blocks exceed the free and evictable GPU blocks (KVFlow's
 *     {@code check_reserve}), blocks read earlier in the round not counted (KVFlow locks a node while it
 *     loads). A call whose prefetched blocks have not landed when it arrives waits for them; blocks evicted
 *     again before the call is admitted are read back on demand, as without prefetch. After the round the
 *     read blocks are evictable by their class (not held until they land: a simplification).</li>
 * </ul>
 *
 * With LoRA adapters ({@link #useAdapters}) both mechanisms cover them too, as KVFlow's {@code LoRAMemoryPool}:
 * at each world step every resident adapter's priority becomes the smallest distance of its agents (unknown:
 * evicted first), and the prefetch round loads each due agent's adapter <i>before</i> its KV (ScaleSim's
 * {@code prefetch_lora_weights} then the KV load tasks), the round stopping at the first adapter that finds no
 * slot of an adapter due no sooner ({@link AdapterPool#prefetch}) as at the first KV that does not fit. The
 * {@code kv} and {@code adapters} switches of the policy ({@link PlanAware#managesKv}, {@link
 * PlanAware#managesAdapters}) turn either side back to LRU + on demand for the ablations.
 *
 * Deliberately left out: KVFlow's write-back on eviction (the released config keeps HiCache's default
 * write-through, which the policy does at turn end) and KVFlow's interrupt of running loads. An agent's KV is the block chain of its last call (prompt and output), as
 * KVFlow's {@code agent_to_last_nodes}; with several instances each one tracks the agents that called on it.
 */
final class InvocationDistanceCache {
    private static final long[] NONE = new long[0];

    private final BlockPool pool;
    private final HostTier host;
    private final int level;
    private final int loadAhead;
    private final int[] classOf;
    private long[][] chains = new long[0][];
    private long[] readyNs = new long[0];
    private InvocationHints hints;
    private final boolean kv;
    private final boolean manageAdapters;
    private final boolean adapterPriority;
    private AdapterPool adapters;
    private IntUnaryOperator adapterOf;
    private int[] adapterDistance = new int[0];
    private final IntUnaryOperator distanceOfAdapter = a -> adapterDistance[a];
    private long prefetchedAdapters;

    private long prefetchedBlocks;
    private long prefetchedAgents;
    private long prefetchStops;

    InvocationDistanceCache(BlockPool pool, HostTier host, PlanAware plan) {
        this.pool = pool;
        this.host = host;
        this.kv = plan.managesKv();
        this.manageAdapters = plan.managesAdapters();
        this.level = kv ? Math.max(1, plan.evictPriorityLevel()) : 1;
        this.adapterPriority = plan.evictPriorityLevel() > 1;
        this.loadAhead = plan.loadAheadSteps();
        this.classOf = new int[pool.numBlocks()];
    }

    /** The instance runs agents with LoRA adapters: {@code adapterOf(agent)} is in {@code pool}. */
    void useAdapters(AdapterPool pool, IntUnaryOperator adapterOf) {
        this.adapters = pool;
        this.adapterOf = adapterOf;
        this.adapterDistance = new int[pool.adapters()];
    }

    /** Whether adapter slots are evicted by distance (else LRU). */
    boolean adapterPriority() {
        return manageAdapters && adapterPriority;
    }

    /** The agent's call ended: its KV (the full blocks of prompt and output) is what it owns now. */
    void record(int agent, KvSequence seq) {
        ensure(agent);
        int n = seq.numRegisteredBlocks();
        long[] chain = chains[agent].length == n ? chains[agent] : new long[n];
        for (int k = 0; k < n; k++) {
            chain[k] = pool.blockHashOf(seq, k);
        }
        chains[agent] = chain;
    }

    /** New hints at the start of a world step: the eviction order follows them from now on. */
    void onHints(InvocationHints h) {
        this.hints = h;
        reorder();
        if (adapters != null && manageAdapters) {
            Arrays.fill(adapterDistance, Integer.MAX_VALUE);
            for (int a = 0, n = h.agents(); a < n; a++) {
                int d = h.distance(a);
                int ad = adapterOf.applyAsInt(a);
                if (d >= 0 && ad >= 0 && d < adapterDistance[ad]) {
                    adapterDistance[ad] = d;
                }
            }
            adapters.setPriorities(distanceOfAdapter);
        }
    }

    /** New hints at {@code now}: reorder, then prefetch; returns the blocks read. */
    long onHints(InvocationHints h, long now) {
        onHints(h);
        return prefetchAhead(now);
    }

    /** Reads back the KV of agents due within {@code load_ahead_step}, nearest first; returns the blocks read. */
    long prefetchAhead(long now) {
        boolean kvAhead = kv && host != null;
        boolean adaptersAhead = adapters != null && manageAdapters;
        if (hints == null || loadAhead < 0 || !kvAhead && !adaptersAhead) {
            return 0;
        }
        long blocks = 0;
        int inFlight = 0; // blocks read in this round: locked until they land, as KVFlow's loading nodes
        int[] due = hints.dueWithin(loadAhead);
        if (adaptersAhead) {
            adapters.beginPrefetchRound();
        }
        for (int a : due) {
            if (adaptersAhead) {
                int ad = adapterOf.applyAsInt(a);
                boolean wasResident = adapters.resident(ad);
                if (!adapters.prefetch(ad, hints.distance(a), now)) {
                    prefetchStops++; // no slot for the adapter: the round ends here, this agent's KV not read either
                    break;
                }
                if (!wasResident) {
                    prefetchedAdapters++;
                }
            }
            if (!kvAhead || a >= chains.length) {
                continue;
            }
            long[] chain = chains[a];
            int gpu = 0;
            while (gpu < chain.length && pool.cachedBlock(chain[gpu]) >= 0) {
                gpu++;
            }
            int held = host.match(chain, gpu, chain.length - gpu);
            if (held == 0) {
                continue;
            }
            if (held > pool.numFreeBlocks() - inFlight) {
                prefetchStops++;
                break;
            }
            int inserted = pool.insertCached(chain, gpu, held);
            if (inserted > 0) {
                readyNs[a] = Math.max(readyNs[a], host.restore(chain, gpu, inserted, now));
                prefetchedBlocks += inserted;
                prefetchedAgents++;
                blocks += inserted;
                inFlight += inserted;
            }
        }
        reorder();
        return blocks;
    }

    /** When the agent's prefetched KV is on the GPU ({@code now} when nothing of it is in flight). */
    long readyNs(int agent, long now) {
        return agent < readyNs.length ? Math.max(now, readyNs[agent]) : now;
    }

    long prefetchedBlocks() { return prefetchedBlocks; }
    long prefetchedAgents() { return prefetchedAgents; }
    long prefetchStops() { return prefetchStops; }
    /** Adapters loaded by the prefetch rounds (not resident before). */
    long prefetchedAdapters() { return prefetchedAdapters; }

    private void reorder() {
        if (level <= 1 || hints == null || !pool.prefixCachingEnabled()) {
            return;
        }
        int top = level - 1;
        Arrays.fill(classOf, top);
        for (int a : hints.dueWithin(top - 1)) {
            if (a >= chains.length) {
                continue;
            }
            int d = hints.distance(a);
            for (long h : chains[a]) {
                int b = pool.cachedBlock(h);
                if (b >= 0 && classOf[b] > d) {
                    classOf[b] = d;
                }
            }
        }
        pool.reorderFreeQueue(classOf, level);
    }

    private void ensure(int agent) {
        if (agent >= chains.length) {
            int n = Math.max(agent + 1, chains.length * 2);
            int old = chains.length;
            chains = Arrays.copyOf(chains, n);
            Arrays.fill(chains, old, n, NONE);
            readyNs = Arrays.copyOf(readyNs, n);
        }
    }
}
