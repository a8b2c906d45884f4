package io.agentservesim.residency;

import io.agentservesim.engine.KvHooks;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.Scheduler;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.List;

/**
 * The KV Residency Model of one instance. Every GPU block is LOCKED (held by a running turn), PINNED
 * (held for a program in a tool gap) or CACHED/free (reusable prefix, evictable LRU); pressure =
 * (locked + pinned) / usable blocks. At each turn's end the retention policy decides: release into the
 * prefix cache (stock vLLM), evict, pin until a deadline, or offload to the host tier. A pin ends when
 * the program's next turn reaches the head of the waiting queue (its blocks then become prefix hits), at
 * its deadline, or when blocks run out: soft pins are broken expired-first, then latest-deadline-first.
 * Offloaded KV is read back when the next turn is admitted here and the GPU lost it (vLLM's asynchronous
 * KV load): the turn holds its blocks and waits for the transfer, so restore time shows up in its TTFT.
 * On the decode instance of a prefill/decode-disaggregated cluster the same path receives a prompt's KV
 * from the prefill instance ({@link RemoteKv}): the request is admitted with blocks for the tokens still to
 * arrive and waits for the link.
 */
public final class KvResidency implements KvHooks, EventTarget {
    private final Simulation sim;
    private final int targetId;
    private final BlockPool pool;
    private final RetentionPolicy policy;
    private final HostTier host;
    private final long bytesPerBlock;
    private final StepTimeModel stepTime;
    private final int chunkTokens;
    private final GapStatsSource gaps;
    /** The invocation-distance mechanisms, only under a plan-aware policy (the only reader of the hints). */
    private final InvocationDistanceCache plan;
    private Scheduler scheduler;

    private final Int2ObjectOpenHashMap<Pin> pinsByProgram = new Int2ObjectOpenHashMap<>();
    /** KV to be received from a prefill instance, by request id, until the request is admitted here. */
    private final Int2ObjectOpenHashMap<RemoteKv> remote = new Int2ObjectOpenHashMap<>();
    /** Pins by slot; a slot is reused only after its deadline event has fired. */
    private final List<Pin> pinSlots = new ArrayList<>();
    private final IntArrayList freeSlots = new IntArrayList();
    private int pinnedBlocks;
    private final BatchShape scratch = new BatchShape();
    private final Context context = new Context();

    private long offloadedBytes;
    private long restoredBytes;
    private long prefetchedBytes;
    private final DecisionLog log;
    /** InferCept's per-step re-weighing of paused contexts, only under {@code infercept}. */
    private final InterceptionReweigh reweigh;
    private final InterceptionReweigh.Exit leave = this::leave;
    /** SAGA's workflow-aware eviction order, only under saga / saga-tool-ttl with workflow_eviction. */
    private final SagaEvictionOrder sagaOrder;
    /** {@code offload-prefetch}'s read-back timed to the predicted return. */
    private final ReturnPrefetcher prefetcher;

    public KvResidency(Simulation sim, BlockPool pool, RetentionPolicy policy, HostTier host, long bytesPerBlock,
                       StepTimeModel stepTime, int chunkTokens, GapStatsSource gaps) {
        this(sim, pool, policy, host, bytesPerBlock, stepTime, chunkTokens, gaps, DecisionLog.countersOnly());
    }

    /** {@code log} receives every decision (counters, and decisions.csv rows when it has a sink). */
    public KvResidency(Simulation sim, BlockPool pool, RetentionPolicy policy, HostTier host, long bytesPerBlock,
                       StepTimeModel stepTime, int chunkTokens, GapStatsSource gaps, DecisionLog log) {
        this.log = log;
        this.sim = sim;
        this.pool = pool;
        this.policy = policy;
        this.host = host;
        this.bytesPerBlock = bytesPerBlock;
        this.stepTime = stepTime;
        this.chunkTokens = chunkTokens;
        this.gaps = gaps;
        this.plan = policy instanceof PlanAware p ? new InvocationDistanceCache(pool, host, p) : null;
        this.reweigh = policy instanceof InferCeptRetention
                ? new InterceptionReweigh(new MinWaste(new ForwardModel(stepTime, chunkTokens)), pool, host, bytesPerBlock)
                : null;
        this.targetId = sim.register(this);
        this.sagaOrder = policy instanceof SagaRetention s && s.evictionIntervalNs() > 0
                ? new SagaEvictionOrder(pool, s.evictionIntervalNs(), s.prefixCharging()) : null;
        this.prefetcher = host != null && policy instanceof OffloadRetention o
                && o.readBack() == OffloadRetention.ReadBack.BEFORE_RETURN
                ? new ReturnPrefetcher(sim, pool, host, bytesPerBlock,
                        o.settings().gapQuantile(), Math.round(o.settings().marginS() * 1e9), log)
                : null;
    }

    /** Plugs into an engine's scheduler as its KV hooks. */
    public void attach(io.agentservesim.engine.EngineInstance engine) {
        this.scheduler = engine.scheduler();
        scheduler.setKvHooks(this);
    }

    /** The request {@code requestId}, about to arrive here, gets its prompt's KV (all but its last token) from {@code kv}. */
    public void expectRemote(int requestId, RemoteKv kv) {
        remote.put(requestId, kv);
    }

    @Override
    public void onFinished(Request r, long now) {
        remote.remove(r.id());
        if (r.program() == null) {
            pool.free(r.kv());
            return;
        }
        if (plan != null) {
            plan.record(r.program().programId(), r.kv());
        }
        context.set(r, now);
        if (sagaOrder != null) {
            sagaOrder.turnEnded(r.program().programId(), r.kv(), now, r.toolName() == null,
                    r.turnIndex() > 0 && r.promptTokens() > 0 ? (double) r.prefixHitTokens() / r.promptTokens() : Double.NaN);
        }
        RetentionDecision d = policy.onTurnEnd(context);
        int programId = r.program().programId();
        int tokens = context.contextTokens();
        switch (d.action()) {
            case RELEASE -> release(r, now, programId, tokens);
            case EVICT -> {
                pool.evict(r.kv());
                log.record(now, programId, Decision.EVICT, tokens, 0, 0);
            }
            case PIN -> pin(r, d.pinUntilNs(), now);
            case OFFLOAD -> {
                if (host == null) {
                    release(r, now, programId, tokens);
                } else {
                    int full = r.kv().numRegisteredBlocks();
                    int copied = host.store(pool, r.kv(), full, now);
                    long bytes = copied * bytesPerBlock;
                    long done = host.link().transfer(now, bytes);
                    offloadedBytes += bytes;
                    if (prefetcher != null) {
                        prefetcher.plan(programId, r.kv(), context.toolGaps(), now);
                    }
                    pool.free(r.kv());
                    log.record(now, programId, Decision.OFFLOAD, tokens, bytes, done);
                }
            }
        }
    }

    private void release(Request r, long now, int programId, int tokens) {
        pool.free(r.kv());
        log.record(now, programId, Decision.RELEASE, tokens, 0, 0);
    }

    private void pin(Request r, long deadline, long now) {
        Pin old = pinsByProgram.get(r.program().programId());
        if (old != null) {
            release(old);
        }
        if (deadline <= now) {
            release(r, now, r.program().programId(), r.promptTokens() + r.outputTokens());
            return;
        }
        int slot;
        if (freeSlots.isEmpty()) {
            slot = pinSlots.size();
            pinSlots.add(null);
        } else {
            slot = freeSlots.popInt();
        }
        Pin p = new Pin(r.program().programId(), r.kv(), deadline, slot, r.promptTokens() + r.outputTokens());
        pinSlots.set(slot, p);
        pinsByProgram.put(p.programId, p);
        pinnedBlocks += r.kv().numBlocks();
        sim.schedule(deadline, targetId, p.slot);
        log.record(now, p.programId, Decision.PIN, p.tokens, r.kv().numBlocks() * bytesPerBlock, deadline);
    }

    private void release(Pin p) {
        if (!p.active) {
            return;
        }
        p.active = false;
        pinsByProgram.remove(p.programId);
        pinnedBlocks -= p.seq.numBlocks();
        pool.free(p.seq);
    }

    /** Pin deadline. */
    @Override
    public void onEvent(long now, int slot) {
        Pin p = pinSlots.get(slot);
        pinSlots.set(slot, null);
        freeSlots.add(slot);
        if (p.active) {
            log.record(now, p.programId, Decision.PIN_EXPIRED, p.tokens, 0, p.deadlineNs);
            release(p);
        }
    }

    @Override
    public void beforeAdmission(Request r, long now) {
        keepPin(r, now);
    }

    @Override
    public void onArrival(Request r, long now) {
        if (sagaOrder != null && r.program() != null) {
            sagaOrder.turnArrived(r.program().programId(), now);
        }
        if (prefetcher != null && r.program() != null) {
            prefetcher.cancel(r.program().programId());
        }
        if (policy.releaseOnArrival()) {
            keepPin(r, now);
        }
    }

    @Override
    public void onAdmitHeld(Request r, long now) {
        log.record(now, r.program() == null ? -1 : r.program().programId(), Decision.ADMIT_HELD, r.promptTokens(), 0, 0);
    }

    /** The program's next turn is here while its pin holds: the pin has done its job and is released. */
    private void keepPin(Request r, long now) {
        if (r.program() == null || pinsByProgram.isEmpty()) {
            return;
        }
        Pin p = pinsByProgram.get(r.program().programId());
        if (p != null) {
            // What the pin held for this turn: its prompt's leading blocks still in the pinned sequence.
            int held = Math.min(p.seq.numRegisteredBlocks() * pool.blockSize(),
                    pool.findCachedPrefixTokens(r.kv(), r.numTokensForLookup()));
            log.record(now, p.programId, Decision.PIN_KEPT, held, 0, p.deadlineNs);
            release(p);
        }
    }

    @Override
    public boolean observesSteps() {
        return sagaOrder != null || reweigh != null;
    }

    @Override
    public void onStepLaunched(long now, long durationNs, io.agentservesim.perf.BatchShape batch) {
        if (sagaOrder != null) {
            sagaOrder.maybeReorder(now);
        }
        if (reweigh != null) {
            reweigh.newStep(durationNs);
            if (!pinsByProgram.isEmpty()) {
                reweigh.onStep(pinSlots, now, batch.totalTokens() > Integer.MAX_VALUE ? Integer.MAX_VALUE
                        : (int) batch.totalTokens(), (long) lockedBlocks() * pool.blockSize(), leave);
            }
        }
    }

    /** InferCept moved a paused context off the GPU (swapped within the step's budget, or discarded). */
    private void leave(Pin p, long now, long swappedBytes, boolean swapped) {
        offloadedBytes += swappedBytes;
        log.record(now, p.programId, swapped ? Decision.SWAP_OUT : Decision.DISCARD, p.tokens, swappedBytes, p.deadlineNs);
        release(p);
    }

    @Override
    public void onPreempted(Request victim, long now) {
        int programId = victim.program() == null ? -1 : victim.program().programId();
        log.record(now, programId, Decision.VICTIM, victim.numComputedTokens(), victim.kv().numBlocks() * bytesPerBlock, 0);
        if (host != null && scheduler != null && scheduler.policy().swapOnPreempt() && victim.kv().numRegisteredBlocks() > 0) {
            // Autellix swaps a preempted call out instead of dropping it: its full blocks go to the host tier
            // (those the tier holds already are not copied again) and readmission restores them.
            int copied = host.store(pool, victim.kv(), victim.kv().numRegisteredBlocks(), now);
            long bytes = copied * bytesPerBlock;
            host.link().transfer(now, bytes);
            offloadedBytes += bytes;
            log.record(now, programId, Decision.SWAP_OUT, victim.numComputedTokens(), bytes, 0);
        }
    }

    @Override
    public boolean reclaim(long now) {
        if (pinsByProgram.isEmpty()) {
            return false;
        }
        Pin victim = null;
        for (Pin p : pinsByProgram.values()) {
            if (victim == null) {
                victim = p;
            } else if (p.deadlineNs <= now && victim.deadlineNs > now) {
                victim = p;
            } else if ((p.deadlineNs <= now) == (victim.deadlineNs <= now)
                    && (p.deadlineNs > victim.deadlineNs
                        || (p.deadlineNs == victim.deadlineNs && p.programId > victim.programId))) {
                victim = p;
            }
        }
        log.record(now, victim.programId, Decision.PIN_BROKEN, victim.tokens,
                victim.seq.numBlocks() * bytesPerBlock, victim.deadlineNs);
        if (reweigh != null && host != null) {
            long swapped = reweigh.swapOut(victim, now);
            if (swapped > 0) {
                offloadedBytes += swapped;
                log.record(now, victim.programId, Decision.SWAP_OUT, victim.tokens, swapped, victim.deadlineNs);
            }
        }
        release(victim);
        return true;
    }

    /** Tokens after the GPU hits that the host tier holds, whole blocks, leaving the last token to compute. */
    @Override
    public int externalHitTokens(Request r, int gpuHitTokens) {
        if (!remote.isEmpty() && remote.containsKey(r.id())) {
            return Math.max(0, r.promptTokens() - 1 - gpuHitTokens);
        }
        if (host == null || !pool.prefixCachingEnabled()) {
            return 0;
        }
        int bs = pool.blockSize();
        int from = gpuHitTokens / bs;
        int maxBlocks = (r.numTokensForLookup() - 1) / bs;
        return host.match(pool, r.kv(), from, Math.max(0, maxBlocks - from)) * bs;
    }

    @Override
    public boolean prefetchOnArrival() {
        return host != null && policy.prefetchOnArrival();
    }

    /** Reads the blocks back over the host link; the turn waits for them (its TTFT includes the restore). */
    @Override
    public long startLoad(Request r, int fromToken, int tokens, long now) {
        RemoteKv fromPrefill = remote.isEmpty() ? null : remote.remove(r.id());
        if (fromPrefill != null) {
            return fromPrefill.start(tokens, now);
        }
        int bs = pool.blockSize();
        int blocks = tokens / bs;
        long bytes = blocks * bytesPerBlock;
        restoredBytes += bytes;
        r.setRestore(fromToken / bs, blocks, bytes);
        long done = host.restore(pool, r.kv(), fromToken / bs, blocks, now);
        log.record(now, r.program() == null ? -1 : r.program().programId(),
                policy.prefetchOnArrival() && r.firstScheduledNs() < 0 ? Decision.PREFETCH : Decision.RESTORE,
                tokens, bytes, done);
        return done;
    }

    /**
     * A multi-agent simulation published its invocation-distance hints for a new world step, before the step's
     * calls are issued; only a plan-aware retention policy ({@link PlanAware}) acts on them: the eviction order
     * follows them and the KV of agents due soon is read back from the host tier.
     */
    public void onWorldStep(io.agentservesim.world.InvocationHints hints, long now) {
        if (plan != null) {
            long bytes = plan.onHints(hints, now) * bytesPerBlock;
            restoredBytes += bytes;
            prefetchedBytes += bytes;
        }
    }

    /** A call whose agent's KV is still being prefetched waits for it. */
    @Override
    public long kvReadyNs(Request r, long now) {
        if (r.program() == null) {
            return now;
        }
        if (prefetcher != null) {
            return prefetcher.readyNs(r.program().programId(), now);
        }
        return plan == null ? now : plan.readyNs(r.program().programId(), now);
    }

    /**
     * The instance's agents run with LoRA adapters held in {@code adapters}; under a plan-aware policy its
     * mechanisms cover them too (priority slots, adapters loaded ahead of the KV).
     */
    public void useAdapters(io.agentservesim.lora.AdapterPool adapters, java.util.function.IntUnaryOperator adapterOf) {
        if (plan != null) {
            plan.useAdapters(adapters, adapterOf);
        }
    }

    /** How the adapter slots of this instance are taken over: by distance under invocation-distance, else LRU. */
    public io.agentservesim.lora.AdapterEviction adapterEviction() {
        return plan != null && plan.adapterPriority() ? io.agentservesim.lora.AdapterEviction.PRIORITY
                : io.agentservesim.lora.AdapterEviction.LRU;
    }

    /** Adapters the invocation-distance prefetch loaded ahead of their agents' calls. */
    public long prefetchedAdapters() { return plan == null ? 0 : plan.prefetchedAdapters(); }

    /** Bytes read back from the host tier ahead of the calls that need them (invocation-distance prefetch). */
    public long prefetchedBytes() { return prefetchedBytes + (prefetcher == null ? 0 : prefetcher.prefetchedBytes()); }

    /** Prefetch rounds that stopped at an agent whose KV did not fit (KVFlow's stop at the first failure). */
    public long prefetchStops() { return plan == null ? 0 : plan.prefetchStops(); }

    public boolean isPinned(int programId) {
        return pinsByProgram.containsKey(programId);
    }

    public int pinnedBlocks() { return pinnedBlocks; }

    public int lockedBlocks() {
        return scheduler == null ? pool.numUsedBlocks() - pinnedBlocks : scheduler.lockedBlocks();
    }

    /** (locked + pinned) / usable. */
    public double pressure() {
        return (double) pool.numUsedBlocks() / pool.numUsableBlocks();
    }

    public HostTier host() { return host; }
    public BlockPool pool() { return pool; }
    public long bytesPerBlock() { return bytesPerBlock; }
    public RetentionPolicy policy() { return policy; }
    public long offloadedBytes() { return offloadedBytes; }
    public long restoredBytes() { return restoredBytes + (prefetcher == null ? 0 : prefetcher.prefetchedBytes()); }
    public long evictedPrograms() { return log.count(Decision.EVICT); }
    public long pinsBroken() { return log.count(Decision.PIN_BROKEN); }
    public long pinsUsed() { return log.count(Decision.PIN_KEPT); }
    public long pinsExpired() { return log.count(Decision.PIN_EXPIRED); }
    public DecisionLog decisions() { return log; }

    /** Prefill time of {@code tokens} tokens alone on this instance, chunk by chunk. */
    long recomputeNs(int tokens) {
        long total = 0;
        for (int done = 0; done < tokens; done += chunkTokens) {
            scratch.clear();
            scratch.addPrefill(Math.min(chunkTokens, tokens - done), done);
            total += stepTime.stepTimeNs(scratch);
        }
        return total;
    }

    /** The retention context of the turn that just ended, reused turn after turn. */
    private final class Context implements RetentionContext {
        private Request r;
        private long now;

        void set(Request request, long nowNs) {
            this.r = request;
            this.now = nowNs;
        }

        @Override public long nowNs() { return now; }
        @Override public int programId() { return r.program().programId(); }
        @Override public String toolName() { return r.toolName(); }
        @Override public GapStats toolGaps() { return gaps.toolGaps(r.toolName()); }
        @Override public GapStats programGaps() { return gaps.programGaps(r.program().programId()); }
        @Override public int contextTokens() { return r.promptTokens() + r.outputTokens(); }
        @Override public long kvBytes() { return r.kv().numBlocks() * bytesPerBlock; }
        @Override public double pressure() { return KvResidency.this.pressure(); }
        @Override public long runningKvBytes() { return (long) Math.max(0, lockedBlocks() - r.kv().numBlocks()) * bytesPerBlock; }
        @Override public boolean hasHostTier() { return host != null; }
        @Override public long recomputeNs() { return KvResidency.this.recomputeNs(contextTokens()); }
        @Override public long swapOutNs() { return host == null ? 0 : host.link().durationNs(kvBytes()); }
        @Override public long swapInNs() { return swapOutNs(); }
    }
}
