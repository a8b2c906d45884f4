package io.agentservesim.lora;

import io.agentservesim.residency.Link;
import java.util.Arrays;

/**
 * The GPU's LoRA adapter pool: {@code max_loras} slots, each holding one adapter at the pool's (max) rank, as
 * SGLang's {@code LoRAMemoryPool} allocates {@code max_loras_per_batch} A/B buffers next to the KV pool (ScaleSim's
 * fork, PanZaifeng/KVFlow {@code python/sglang/srt/lora/mem_pool.py}). Every adapter is held in host memory (the
 * host cache); an adapter not in a slot is copied in over the host {@link Link}, queued behind the link's other
 * transfers (KV loads and write-backs), so it takes latency + bytes / bandwidth once the link is free.
 *
 * <p>A slot is pinned while a request holds its adapter (admitted, or parked waiting for its load): a pinned slot
 * is never taken over, so the requests of one batch never use more than {@code max_loras} distinct adapters. An
 * adapter that needs a slot takes an empty one, else the unpinned one {@link AdapterEviction} picks; when every
 * slot is pinned it gets none and its request waits (SGLang's scheduler skips a request whose adapter would
 * exceed {@code max_loras_per_batch}). A slot taken over while its load is in flight drops that load (ScaleSim's
 * {@code _drop_pending_load}); the link time already queued is not given back (a simplification).
 *
 * <p>Priorities are invocation distances (steps until the adapter's agents call; smaller = sooner), set from a
 * world's hints each step; an adapter loaded on demand gets 0, as in ScaleSim's {@code prepare_lora_batch}.
 */
public final class AdapterPool {
    /** No adapter: a request of the base model. */
    public static final int NONE = -1;
    private static final int FAR = Integer.MAX_VALUE;

    private final long bytesPerAdapter;
    private final Link link;
    private final AdapterEviction eviction;
    /** Per slot: the adapter in it (NONE when empty), when its bytes are on the GPU, pins, last use, priority. */
    private final int[] adapterIn;
    private final long[] readyNs;
    private final int[] pins;
    private final long[] lastUse;
    private final int[] priority;
    /** Per slot: the prefetch round that last loaded or touched it (KVFlow's {@code step_lora_ids}). */
    private final int[] round;
    private int currentRound;
    /** Per adapter: its slot, or -1. */
    private final int[] slotOf;
    private long useClock;
    private long loads;
    private long loadedBytes;
    private long evictions;
    private long refusals;
    private long droppedLoads;

    public AdapterPool(int slots, int adapters, long bytesPerAdapter, Link link, AdapterEviction eviction) {
        if (slots < 1 || adapters < 1 || bytesPerAdapter < 1) {
            throw new IllegalArgumentException("need >= 1 slot, >= 1 adapter and > 0 bytes per adapter");
        }
        this.bytesPerAdapter = bytesPerAdapter;
        this.link = link;
        this.eviction = eviction;
        this.adapterIn = new int[slots];
        Arrays.fill(adapterIn, NONE);
        this.readyNs = new long[slots];
        this.pins = new int[slots];
        this.lastUse = new long[slots];
        this.priority = new int[slots];
        Arrays.fill(priority, FAR);
        this.round = new int[slots];
        this.slotOf = new int[adapters];
        Arrays.fill(slotOf, -1);

    }

    public int slots() { return adapterIn.length; }
    public int adapters() { return slotOf.length; }
    public long bytesPerAdapter() { return bytesPerAdapter; }

    /** Whether {@code adapter} is in a slot (its load may still be in flight). */
    public boolean resident(int adapter) {
        return slotOf[adapter] >= 0;
    }

    /** When {@code adapter}'s bytes are on the GPU; -1 when it is in no slot. */
    public long readyNs(int adapter) {
        int s = slotOf[adapter];
        return s < 0 ? -1 : readyNs[s];
    }

    /**
     * A request about to use {@code adapter} pins it: a slot is found (and its load started) if needed.
     * Returns when the adapter is on the GPU, or -1 when every slot is pinned by other adapters (the request waits).
     */
    public long acquire(int adapter, long now) {
        int s = slotOf[adapter];
        if (s < 0) {
            s = takeSlot(FAR, false, now);
            if (s < 0) {
                refusals++;
                return -1;
            }
            load(adapter, s, 0, now);
        }
        pins[s]++;
        lastUse[s] = ++useClock;
        return readyNs[s];
    }

    /** The request holding {@code adapter} finished or was preempted. */
    public void release(int adapter) {
        int s = slotOf[adapter];
        if (s < 0 || pins[s] == 0) {
            throw new IllegalStateException("adapter " + adapter + " released but not pinned");
        }
        pins[s]--;
        if (pins[s] == 0) {
            // The agent just called, so its next call is far: first to go (ScaleSim's mark_lora_for_eviction).
            priority[s] = FAR;
        }
    }

    /**
     * A new prefetch round (one per world step): adapters it loads or touches cannot be taken over by the round's
     * later prefetches (KVFlow's {@code step_lora_ids}), so equally due agents do not evict each other's adapters.
     */
    public void beginPrefetchRound() {
        currentRound++;
    }

    /**
     * Prefetch for agents due in {@code distance} steps: loads {@code adapter} unless it is in a slot (then only its
     * priority is raised). A slot is taken only from an unpinned adapter due no sooner ({@code priority >=
     * distance}, ScaleSim's {@code prefetch_lora_weights}) and not loaded or touched in this round; among those the
     * one due latest (LRU among equals); false when there is none (an allocation failure: the caller stops its
     * prefetch round).
     */
    public boolean prefetch(int adapter, int distance, long now) {
        int s = slotOf[adapter];
        if (s >= 0) {
            priority[s] = Math.min(priority[s], distance);
            round[s] = currentRound;
            return true;
        }
        s = takeSlot(distance, true, now);
        if (s < 0) {
            return false;
        }
        load(adapter, s, distance, now);
        round[s] = currentRound;
        return true;
    }

    /** Sets every resident adapter's priority to its distance ({@code distanceOf}: FAR when none of its agents is due). */
    public void setPriorities(java.util.function.IntUnaryOperator distanceOf) {
        for (int s = 0; s < adapterIn.length; s++) {
            if (adapterIn[s] != NONE) {
                priority[s] = distanceOf.applyAsInt(adapterIn[s]);
            }
        }
    }

    /** Distinct adapters pinned now: those of admitted (or load-parked) requests; never above {@link #slots}. */
    public int pinnedAdapters() {
        int n = 0;
        for (int p : pins) {
            if (p > 0) {
                n++;
            }
        }
        return n;
    }

    private void load(int adapter, int s, int prio, long now) {
        adapterIn[s] = adapter;
        slotOf[adapter] = s;
        priority[s] = prio;
        lastUse[s] = ++useClock;
        readyNs[s] = link.transfer(now, bytesPerAdapter);
        loads++;
        loadedBytes += bytesPerAdapter;
    }

    /**
     * An empty slot, else the unpinned slot {@link #eviction} picks ({@code forPrefetch}: only among priorities
     * >= {@code atLeast}); -1 when none.
     */
    private int takeSlot(int atLeast, boolean forPrefetch, long now) {
        int chosen = -1;
        for (int s = 0; s < adapterIn.length; s++) {
            if (adapterIn[s] == NONE) {
                return s;
            }
            if (pins[s] > 0 || forPrefetch && (priority[s] < atLeast || currentRound > 0 && round[s] == currentRound)) {
                continue;
            }
            if (chosen < 0 || better(s, chosen)) {
                chosen = s;
            }
        }
        if (chosen >= 0) {
            evictions++;
            if (readyNs[chosen] > now) {
                droppedLoads++;
            }
            slotOf[adapterIn[chosen]] = -1;
            adapterIn[chosen] = NONE;
        }
        return chosen;
    }

    private boolean better(int s, int than) {
        if (eviction == AdapterEviction.PRIORITY && priority[s] != priority[than]) {
            return priority[s] > priority[than];
        }
        return lastUse[s] < lastUse[than];
    }

    public long loads() { return loads; }
    public long loadedBytes() { return loadedBytes; }
    public long evictions() { return evictions; }
    /** Slots taken over while their adapter's load was still in flight. */
    public long droppedLoads() { return droppedLoads; }
    /** Acquisitions refused because every slot was pinned (the request waited). */
    public long refusals() { return refusals; }
}
