package io.agentservesim.engine;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.lora.AdapterPool;
import io.agentservesim.sched.FcfsPolicy;
import io.agentservesim.sched.SchedulingPolicy;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.function.IntUnaryOperator;

/**
 * vLLM v1's FCFS scheduler, one {@link #schedule} call per engine step. Each rule follows
 * {@code vllm/v1/core/sched/scheduler.py} ({@code Scheduler.schedule}, vLLM 0.19):
 * <ol>
 *   <li>Running requests first, in running order: each gets the tokens it still lacks (one for a
 *       decoding request, the next chunk for a prefilling one), capped by the remaining token budget,
 *       by {@code long_prefill_token_threshold} and by {@code max_model_len - 1 - computed}.</li>
 *   <li>When the block pool cannot hold a running request's new tokens, the last request of the running
 *       list (the most recently admitted) is preempted: its blocks are freed, its computed tokens reset
 *       to 0 (recompute later) and it goes back to the FRONT of the waiting queue. If the victim is the
 *       request being scheduled, scheduling of running requests stops.</li>
 *   <li>Only when nothing was preempted in this step are waiting requests admitted, in order, while
 *       the budget lasts, the running list is below {@code max_num_seqs} and blocks allow; the first
 *       request that does not fit stops admission (no skipping ahead). A newly admitted request first
 *       takes its prefix-cache hits ({@code get_computed_blocks}, at most num_tokens - 1 tokens).</li>
 *   <li>With {@code scheduler_reserve_full_isl} admission also requires free blocks for the request's
 *       whole current sequence ({@code allocate_slots(..., full_sequence_must_fit=True)}), not only for
 *       the first chunk.</li>
 * </ol>
 * With LoRA adapters ({@link #useAdapters}) a waiting request must first pin its adapter in the GPU's adapter pool
 * ({@link AdapterPool}): when every slot is pinned by the adapters of other admitted requests it is skipped for
 * this step (SGLang's and vLLM's schedulers skip a request whose adapter would exceed max_loras and go on with
 * the next), and while its adapter is crossing the host link it is parked until it lands, then queued again.
 * The waiting order and the preemption victim come from the {@link SchedulingPolicy}: FCFS (above) or
 * vLLM's priority discipline for the agent policies ({@code io.agentservesim.sched}); the policy may also
 * cap the prefills of a step ({@link SchedulingPolicy#maxPrefillsPerStep}, llama.cpp-style) or ask for split
 * streams ({@link StreamSplit}): then {@link #scheduleDecodeStream} and {@link #schedulePrefillStream} plan the
 * two streams' steps with the same rules over their share of the running list (a request in either stream's
 * step is skipped, and never a preemption victim), resume turns waiting in a queue of their own.
 * Left out: speculative decoding, encoder inputs, KV connectors, structured output.
 */
public final class Scheduler {
    private final EngineConfig config;
    private final BlockPool pool;
    private final WaitingQueue waiting;
    private final ArrayList<Request> running = new ArrayList<>();
    private final java.util.List<Request> runningView = java.util.Collections.unmodifiableList(running);
    private final SchedulingPolicy policy;
    /** Turns the admit hook held in this step, in queue order (reused, so a step allocates nothing). */
    private final ArrayList<Request> held = new ArrayList<>();
    private final GateView admissionView = new GateView();

    private long preemptions;
    /** The GPU's LoRA adapter pool and each program's adapter; null without LoRA. */
    private AdapterPool adapters;
    private IntUnaryOperator adapterOfProgram;
    /** Requests skipped in this step because no adapter slot was free (reused). */
    private final ArrayList<Request> adapterBlocked = new ArrayList<>();
    private long adapterWaits;
    /** schedule() calls so far: the admission gate's view is taken once per call. */
    private long stepsScheduled;
    private long prefixHitTokens;
    private long promptTokensAdmitted;

    public Scheduler(EngineConfig config, BlockPool pool) {
        this(config, pool, new FcfsPolicy());
    }

    public Scheduler(EngineConfig config, BlockPool pool, SchedulingPolicy policy) {
        this.config = config;
        this.pool = pool;
        this.waiting = new WaitingQueue(policy);
        this.policy = policy;
        this.hooks = KvHooks.stock(pool);
    }

    private KvHooks hooks;

    /** Parks an admitted request while its KV loads from a slower tier (the engine owns the timer). */
    public interface LoadParking {
        void parkUntil(Request r, long readyNs);
    }

    private LoadParking parking = (r, t) -> {
        throw new IllegalStateException("no KV loads without a parking engine");
    };

    void setLoadParking(LoadParking parking) {
        this.parking = parking;
    }

    /**
     * A parked request's KV is on the GPU. Loaded at admission, it returns with its original place; a
     * prefetched arrival joins the queue now, as a turn that became ready now.
     */
    void loadFinished(Request r) {
        r.status = Request.Status.WAITING;
        if (r.admittedOnce) {
            queueFor(r).addPreempted(r);
        } else {
            queueFor(r).addArrival(r);
        }
    }

    /** The engine launched a step: the KV hooks see it (InferCept re-weighs its paused contexts per step). */
    void stepLaunched(long now, long durationNs, io.agentservesim.perf.BatchShape batch) {
        hooks.onStepLaunched(now, durationNs, batch);
        policy.onStepLaunched(runningView, now, durationNs);
        long every = policy.rekeyIntervalNs();
        if (every > 0 && now >= nextRekeyNs) {
            nextRekeyNs = now + every;
            waiting.rekey(policy, now);
            if (waitingResume != null) {
                waitingResume.rekey(policy, now);
            }
        }
    }

    private long nextRekeyNs;

    /**
     * Whether the next steps depend on the running list alone, so that a decode fast-forward
     * ({@link DecodeFastForward}) may price them together: nothing waits or is held, FCFS (no per-step policy
     * state), KV hooks without per-step work, no LoRA, one stream.
     */
    boolean onlyRunningMatters() {
        return waiting.isEmpty() && waitingResume == null && held.isEmpty() && adapters == null && split == null
                && policy instanceof FcfsPolicy && !hooks.observesSteps();
    }

    /** The running list, in scheduling order (read-only). */
    java.util.List<Request> running() {
        return runningView;
    }

    /** A fast-forward planned {@code steps} steps and applied their outputs, the last at {@code lastNs}. */
    void fastForwarded(int steps, long lastNs, long tokens) {
        stepsScheduled += steps;
        lastUpdateNs = lastNs;
        generatedTokens += tokens;
        preemptedInStep = false;
    }

    /** The scheduling policy ordering this engine's queue. */
    public SchedulingPolicy policy() {
        return policy;
    }

    /**
     * The queue a request waits in: the one queue, or in split mode with resume prefills in the decode stream the
     * resume queue for a turn that would resume now (its loaded tokens, else its cached prefix, against its tokens).
     */
    private WaitingQueue queueFor(Request r) {
        if (waitingResume == null || !split.resumeInDecodeStream()) {
            return waiting;
        }
        int total = r.numTokens();
        int cached = r.numComputedTokens > 0 ? r.numComputedTokens
                : config.enablePrefixCaching() ? pool.findCachedPrefixTokens(r.kv, total) : 0;
        return PrefillKind.isResume(cached, total) ? waitingResume : waiting;
    }

    /** Installs the KV Residency Model's hooks (default: stock vLLM). */
    public void setKvHooks(KvHooks hooks) {
        this.hooks = hooks;
    }

    /**
     * Runs requests with LoRA adapters: a program's turns use {@code adapterOfProgram(programId)}
     * ({@link AdapterPool#NONE}: the base model); plain requests use the base model.
     */
    public void useAdapters(AdapterPool pool, IntUnaryOperator adapterOfProgram) {
        this.adapters = pool;
        this.adapterOfProgram = adapterOfProgram;
        this.seenInStep = new int[pool.adapters()];
    }

    /** The GPU's adapter pool, or null without LoRA. */
    public AdapterPool adapters() {
        return adapters;
    }

    /** Admission attempts skipped because every adapter slot was pinned by other adapters. */
    public long adapterWaits() {
        return adapterWaits;
    }

    private void assignAdapter(Request r) {
        if (adapters != null && r.program != null && r.adapter == AdapterPool.NONE) {
            r.adapter = adapterOfProgram.applyAsInt(r.program.programId());
        }
    }

    private void releaseAdapter(Request r) {
        if (r.adapterPinned) {
            r.adapterPinned = false;
            adapters.release(r.adapter);
        }
    }

    /**
     * Pins {@code r}'s adapter before it is admitted; false when {@code r} cannot be admitted now (skipped: no
     * slot, or parked: its adapter is still loading), in which case it has left {@code queue}.
     */
    private boolean adapterReady(Request r, WaitingQueue queue, long now) {
        if (adapters == null || r.adapter == AdapterPool.NONE) {
            return true;
        }
        long ready = r.adapterPinned ? adapters.readyNs(r.adapter) : adapters.acquire(r.adapter, now);
        if (ready < 0) {
            adapterWaits++;
            adapterBlocked.add(queue.poll());
            return false;
        }
        r.adapterPinned = true;
        if (ready > now) {
            queue.poll();
            r.status = Request.Status.WAITING;
            parking.parkUntil(r, ready);
            return false;
        }
        return true;
    }

    /**
     * Skipped requests return to the front of {@code queue}, in their order, for the next step; the distinct
     * adapters of the step's batch {@code out} are counted.
     */
    private void restoreAdapterBlocked(WaitingQueue queue, StepPlan out) {
        if (adapters == null) {
            return;
        }
        if (!adapterBlocked.isEmpty()) {
            queue.putBackAll(adapterBlocked);
            adapterBlocked.clear();
        }
        int distinct = 0;
        stamp++;
        for (int i = 0, n = out.size(); i < n; i++) {
            int a = out.request(i).adapter;
            if (a != AdapterPool.NONE && seenInStep[a] != stamp) {
                seenInStep[a] = stamp;
                distinct++;
            }
        }
        out.shape().setLoraAdapters(distinct); // the LoRA kernels' weight reads scale with it
        if (distinct > maxBatchAdapters) {
            maxBatchAdapters = distinct;
        }
    }

    private int maxBatchAdapters;
    /** Per adapter: the last step that counted it (a stamp, so counting allocates nothing). */
    private int[] seenInStep;
    private int stamp;

    /** The most distinct adapters any one step's batch held (never above max_loras). */
    public int maxBatchAdapters() {
        return maxBatchAdapters;
    }

    private long nextArrivalSeq;

    public void addWaiting(Request r) {
        assignAdapter(r);
        r.arrivalSeq = nextArrivalSeq++;
        queueFor(r).addArrival(r);
    }

    /**
     * An arrival at {@code now}. A turn whose KV was prefetched ahead of it and is still in flight waits for it.
     * With prefetch on arrival, KV that a slower tier holds beyond the GPU
     * prefix hits is read back at once, overlapping the turn's queueing: its blocks are allocated now (if
     * free) and the turn joins the queue when they are on the GPU.
     */
    public void addWaiting(Request r, long now) {
        assignAdapter(r);
        enqueueArrival(r, now);
        hooks.onArrival(r, now);
    }

    private void enqueueArrival(Request r, long now) {
        long ready = hooks.kvReadyNs(r, now);
        if (ready > now) {
            r.arrivalSeq = nextArrivalSeq++;
            r.status = Request.Status.WAITING;
            parking.parkUntil(r, ready);
            return;
        }
        if (hooks.prefetchOnArrival() && config.enablePrefixCaching()) {
            int total = r.numTokens();
            int hit = pool.findCachedPrefixTokens(r.kv, total);
            int external = hooks.externalHitTokens(r, hit);
            if (external > 0 && pool.blocksToAllocate(r.kv, hit, 0, external) <= pool.numFreeBlocks()
                    && pool.allocateSlots(r.kv, hit, 0, external)) {
                r.arrivalSeq = nextArrivalSeq++;
                r.numComputedTokens = hit + external;
                r.status = Request.Status.WAITING;
                prefetches++;
                parking.parkUntil(r, hooks.startLoad(r, hit, external, now));
                return;
            }
        }
        addWaiting(r);
    }

    private long prefetches;

    /** Turns whose KV was read back from a slower tier on arrival. */
    public long prefetches() {
        return prefetches;
    }

    public boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty() || waitingResume != null && !waitingResume.isEmpty();
    }

    public int numWaiting() { return waiting.size() + (waitingResume == null ? 0 : waitingResume.size()); }

    /** Split mode: the step of {@code plan} is over; its requests may be scheduled again. */
    void releaseStep(StepPlan plan) {
        for (int i = 0, n = plan.size(); i < n; i++) {
            plan.request(i).inStep = false;
        }
    }

    public int numRunning() { return running.size(); }

    /** Blocks held by running requests (LOCKED). */
    public int lockedBlocks() {
        int n = 0;
        for (int i = 0, size = running.size(); i < size; i++) {
            n += running.get(i).kv.numBlocks();
        }
        return n;
    }
    public long preemptions() { return preemptions; }
    public long prefixHitTokens() { return prefixHitTokens; }
    public long promptTokensAdmitted() { return promptTokensAdmitted; }

    /**
     * Picks the requests and token counts of the next step, allocates their KV slots and, as vLLM's
     * {@code _update_after_schedule} does, counts the scheduled tokens as computed right away; a step
     * that completes a request's tokens adds one output placeholder for the token it will sample.
     */
    public void schedule(StepPlan out, long now) {
        out.clear();
        stepsScheduled++;
        if (!waiting.isEmpty() && !running.isEmpty() && !roomFor(waiting.peek())) {
            int y = policy.yieldIndex(runningView, waiting.peek());
            if (y >= 0 && y < running.size()) {
                preempt(running.remove(y), now); // a yield, not a shortage: admission still runs this step
            }
        }
        int budget = config.maxNumBatchedTokens();
        preemptedInStep = false;
        budget = scheduleRunning(out, now, budget, ANY);
        boolean preempted = preemptedInStep;

        if (!preempted) {
            boolean gate = policy.gatesAdmission();
            budget = admitWaiting(out, waiting, budget, now, gate, false);
            if (!held.isEmpty()) {
                int from = 0;
                if (running.isEmpty() && waiting.isEmpty()) {
                    // Everything was held and nothing runs: the head is tried anyway (no gate idles the engine).
                    Request head = held.get(0);
                    waiting.putBack(head);
                    budget = admitWaiting(out, waiting, budget, now, false, false);
                    if (waiting.isEmpty()) {
                        held.remove(0);
                    } else {
                        waiting.poll(); // it did not fit: back in front of the held ones, but not counted as held
                        from = 1;
                    }
                }
                for (int h = from, n = held.size(); h < n; h++) {
                    hooks.onAdmitHeld(held.get(h), now);
                }
                waiting.putBackAll(held);
                held.clear();
            }
        }
        restoreAdapterBlocked(waiting, out);
    }

    /**
     * Split mode ({@link StreamSplit}): the decode stream's next step, every decoding request not in the other
     * stream's step, then (with resume prefills in this stream) resume-prefill chunks and admissions of resume
     * turns within {@code resumeBudget} tokens.
     */
    public void scheduleDecodeStream(StepPlan out, long now, int resumeBudget) {
        out.clear();
        preemptedInStep = false;
        int budget = scheduleRunning(out, now, config.maxNumBatchedTokens(), DECODES);
        if (split.resumeInDecodeStream()) {
            int resume = Math.min(budget, resumeBudget);
            resume = scheduleRunning(out, now, resume, DECODE_STREAM_PREFILLS);
            if (!preemptedInStep) {
                admitWaiting(out, waitingResume, resume, now, false, true);
            }
        }
        restoreAdapterBlocked(waitingResume, out);
    }

    /** Split mode: the prefill stream's next step, chunks of its running prefills, then admissions. */
    public void schedulePrefillStream(StepPlan out, long now) {
        out.clear();
        preemptedInStep = false;
        int budget = scheduleRunning(out, now, config.maxNumBatchedTokens(), PREFILL_STREAM_PREFILLS);
        if (!preemptedInStep) {
            admitWaiting(out, waiting, budget, now, false, false);
        }
        restoreAdapterBlocked(waiting, out);
    }

    /** Which running requests a pass schedules: all (vLLM's one stream), or one stream's share of them. */
    private static final int ANY = 0;
    private static final int DECODES = 1;
    private static final int DECODE_STREAM_PREFILLS = 2;
    private static final int PREFILL_STREAM_PREFILLS = 3;

    private boolean preemptedInStep;
    private StreamSplit split;
    /** Split mode with resume prefills in the decode stream: the resume turns' own queue (else unused). */
    private WaitingQueue waitingResume;

    /** Runs this scheduler in split mode ({@link StreamSplit}), before the first arrival. */
    void useStreams(StreamSplit split) {
        this.split = split;
        this.waitingResume = new WaitingQueue(policy);
    }

    /** Whether {@code r} is decoding: its prompt (and recomputed outputs) are in its KV but for one token. */
    private static boolean decoding(Request r) {
        return r.numComputedTokens >= r.promptTokens && r.numTokens() - r.numComputedTokens == 1;
    }

    private static boolean wanted(Request r, int pass) {
        return switch (pass) {
            case ANY -> true;
            case DECODES -> !r.inStep && decoding(r);
            case DECODE_STREAM_PREFILLS -> !r.inStep && r.decodeStream && !decoding(r);
            default -> !r.inStep && !r.decodeStream && !decoding(r);
        };
    }

    /**
     * vLLM's pass over the running list (those of {@code pass}), from {@code budget} tokens; returns what is
     * left of it. Sets {@link #preemptedInStep} when a request was preempted for blocks.
     */
    private int scheduleRunning(StepPlan out, long now, int budget, int pass) {
        int i = 0;
        while (i < running.size() && budget > 0) {
            Request r = running.get(i);
            // Async scheduling: a request whose in-flight tokens already reach max_tokens is not
            // scheduled again (scheduler.py: "avoid scheduling an extra step").
            if (r.numOutputTokens + r.pendingOutputs >= r.maxOutputTokens || !wanted(r, pass)) {
                i++;
                continue;
            }
            int newTokens = cappedNewTokens(r, r.numTokens() - r.numComputedTokens, budget);
            if (newTokens <= 0) {
                i++;
                continue;
            }
            boolean scheduled = false;
            while (true) {
                if (pool.allocateSlots(r.kv, 0, r.numComputedTokens, newTokens)) {
                    scheduled = true;
                    break;
                }
                if (hooks.reclaim(now)) {
                    continue; // KV held for a program in a tool gap went first
                }
                int v = victimIndex();
                Request victim = running.remove(v);
                if (v < i) {
                    // Priority policies may pick a request already scheduled in this step: take it back
                    // out and return its tokens to the budget (vLLM's scheduler does the same).
                    budget += out.remove(victim);
                    i--;
                }
                preempt(victim, now);
                preemptedInStep = true;
                if (victim == r) {
                    break;
                }
            }
            if (!scheduled) {
                break;
            }
            commit(out, r, newTokens);
            budget -= newTokens;
            i++;
        }
        return budget;
    }

    /**
     * Admits waiting requests of {@code queue} in queue order while the budget, max_num_seqs, the policy's
     * prefills per step and blocks allow (rule 3 above); with {@code gate}, turns the policy's admit hook holds are
     * set aside into {@link #held}; {@code decodeStream}: they prefill in a split engine's decode stream. Returns
     * the budget left.
     */
    private int admitWaiting(StepPlan out, WaitingQueue queue, int budget, long now, boolean gate, boolean decodeStream) {
        int prefills = out.size() - out.decodes();
        int maxPrefills = policy.maxPrefillsPerStep();
        while (!queue.isEmpty() && budget > 0 && running.size() < config.maxNumSeqs() && prefills < maxPrefills) {
            Request r = queue.peek();
            if (gate && !r.admittedOnce && r.numComputedTokens == 0 && r.program != null
                    && !policy.admit(r, admissionView.at(now))) {
                held.add(queue.poll()); // keeps its priority key, put back after this step's admission
                continue;
            }
            if (!adapterReady(r, queue, now)) {
                continue;
            }
            hooks.beforeAdmission(r, now);
            int total = r.numTokens();
            int computed = r.numComputedTokens; // > 0 only after a KV load from a slower tier
            int hit = computed == 0 && config.enablePrefixCaching() ? pool.findCachedPrefixTokens(r.kv, total) : 0;
            if (computed == 0 && r.kv.numBlocks() == 0) {
                int external = hooks.externalHitTokens(r, hit);
                if (external > 0) {
                    // vLLM's async KV load: allocate the loaded tokens' blocks now, run after the load.
                    if (pool.blocksToAllocate(r.kv, hit, 0, external) > pool.numFreeBlocks()
                            || !pool.allocateSlots(r.kv, hit, 0, external)) {
                        if (hooks.reclaim(now)) {
                            continue;
                        }
                        break;
                    }
                    queue.poll();
                    noteFirstAdmission(r, hit + external, now);
                    r.resumePrefill = PrefillKind.isResume(hit + external, total);
                    r.numComputedTokens = hit + external;
                    r.status = Request.Status.WAITING;
                    parking.parkUntil(r, hooks.startLoad(r, hit, external, now));
                    continue;
                }
            }
            int remaining = total - computed - hit;
            if (!config.enableChunkedPrefill() && remaining > budget) {
                break;
            }
            int newTokens = cappedNewTokens(r, remaining, budget);
            if (!admissible(r, hit, computed, remaining, newTokens)) {
                if (hooks.reclaim(now)) {
                    continue; // retry with the released blocks (and fresh prefix hits)
                }
                break;
            }
            if (!pool.allocateSlots(r.kv, hit, computed, newTokens)) {
                break;
            }
            queue.poll();
            r.status = Request.Status.RUNNING;
            r.decodeStream = decodeStream;
            // A prefetched turn arrives here holding its loaded tokens: they count as its hits.
            noteFirstAdmission(r, computed == 0 ? hit : computed, now);
            if (computed == 0) {
                r.numComputedTokens = hit;
                r.resumePrefill = PrefillKind.isResume(hit, total);
            } // else: loaded from a slower tier, classified when its load started
            running.add(r);
            commit(out, r, newTokens);
            budget -= newTokens;
            prefills++;
        }
        return budget;
    }

    /**
     * Whether the waiting request could join the batch without anyone giving way: a sequence slot is free and
     * the blocks of its first chunk are (its prefix hits not counted, so this errs towards making room).
     */
    private boolean roomFor(Request r) {
        if (running.size() >= config.maxNumSeqs()) {
            return false;
        }
        int chunk = Math.min(Math.max(1, r.numTokens() - r.numComputedTokens), config.maxNumBatchedTokens());
        return (chunk + pool.blockSize() - 1) / pool.blockSize() <= pool.numFreeBlocks();
    }

    /** Blocks for the first chunk, and with scheduler_reserve_full_isl for the whole sequence. */
    private boolean admissible(Request r, int hit, int computed, int remaining, int newTokens) {
        int need = config.reserveFullIsl() ? pool.blocksToAllocate(r.kv, hit, computed, remaining)
                : pool.blocksToAllocate(r.kv, hit, computed, newTokens);
        return need <= pool.numFreeBlocks();
    }

    private void noteFirstAdmission(Request r, int hitTokens, long now) {
        if (!r.admittedOnce) {
            r.admittedOnce = true;
            r.prefixHitTokens = hitTokens;
            r.firstScheduledNs = now;
            prefixHitTokens += hitTokens;
            promptTokensAdmitted += r.promptTokens;
        }
    }

    private void commit(StepPlan out, Request r, int newTokens) {
        r.inStep = split != null;
        int before = r.numComputedTokens;
        r.numComputedTokens += newTokens;
        boolean samples = r.numComputedTokens >= r.numTokens();
        if (samples) {
            r.pendingOutputs++;
        }
        out.add(r, newTokens, before, samples);
    }

    /**
     * Applies a finished step's outputs ({@code update_from_output}): each sampling request turns one
     * placeholder into a real token; partial prefill chunks sample nothing; outputs of requests preempted
     * since scheduling are dropped. Requests that reach their output length finish, free their blocks and
     * leave the running list.
     */
    void updateFromOutput(StepPlan plan, long now, int instanceId, RequestListener listener) {
        this.lastUpdateNs = now;
        boolean anyFinished = false;
        for (int i = 0, n = plan.size(); i < n; i++) {
            Request r = plan.request(i);
            if (!plan.samples(i) || r.status != Request.Status.RUNNING || r.preemptions != plan.epoch(i)) {
                continue;
            }
            r.pendingOutputs--;
            r.numOutputTokens++;
            generatedTokens++;
            if (r.firstTokenNs < 0) {
                r.firstTokenNs = now;
                if (r.tokenTimes != null) {
                    // Exactly the tokens after the first: one allocation per turn instead of ~15 regrowths and
                    // copies (the growth was half of a flat run's allocated bytes with the ITL column on).
                    r.tokenTimes.ensureCapacity(r.maxOutputTokens - 1);
                }
                if (r.program != null && r.maxOutputTokens > 1) {
                    r.tokenGaps = gapLists.isEmpty() ? new LongArrayList(64) : gapLists.remove(gapLists.size() - 1);
                    r.tokenGaps.ensureCapacity(Math.min(r.maxOutputTokens - 1, GAP_LIST_KEPT)); // no regrowth per turn
                }
            } else {
                if (r.tokenTimes != null) {
                    r.tokenTimes.add(now);
                }
                if (r.tokenGaps != null) {
                    r.tokenGaps.add(now - r.lastTokenNs);
                }
            }
            r.lastTokenNs = now;
            if (r.numOutputTokens >= r.maxOutputTokens) {
                r.status = Request.Status.FINISHED;
                anyFinished = true;
            }
        }
        if (anyFinished) {
            for (int i = 0, n = plan.size(); i < n; i++) {
                Request r = plan.request(i);
                if (r.status == Request.Status.FINISHED && plan.samples(i) && r.lastTokenNs == now) {
                    listener.onFinished(instanceId, r);
                }
            }
            removeFinished();
        }
    }

    private long lastUpdateNs;
    private long generatedTokens;

    /** Output tokens produced so far. */
    public long generatedTokens() {
        return generatedTokens;
    }

    /**
     * Gap lists of finished turns, reused so that a turn's inter-token record costs no allocation in steady
     * state; memory stays with the turns decoding at once (max_num_seqs), not with the trace.
     */
    private final ArrayList<LongArrayList> gapLists = new ArrayList<>();
    /** Capacity a reused gap list keeps (longer turns grow theirs and give the excess back). */
    private static final int GAP_LIST_KEPT = 4096;

    /** Takes back a finished turn's gap list (the listener has recorded the turn by now). */
    private void releaseGaps(Request r) {
        LongArrayList g = r.tokenGaps;
        if (g != null) {
            r.tokenGaps = null;
            g.clear();
            g.trim(GAP_LIST_KEPT);
            gapLists.add(g);
        }
    }

    /** Hands the blocks of every finished running request to the KV hooks and drops it from the list. */
    private void removeFinished() {
        int kept = 0;
        for (int i = 0, n = running.size(); i < n; i++) {
            Request r = running.get(i);
            if (r.status == Request.Status.FINISHED) {
                hooks.onFinished(r, lastUpdateNs);
                releaseAdapter(r);
                releaseGaps(r);
            } else {
                running.set(kept++, r);
            }
        }
        for (int i = running.size() - 1; i >= kept; i--) {
            running.remove(i);
        }
    }

    /**
     * FCFS: the last running request (vLLM pops the running list). Priority policies: the running request
     * with the largest (priority, arrival), as vLLM's priority policy picks it.
     */
    private int victimIndex() {
        int chosen = policy.victimIndex(runningView);
        if (chosen >= 0 && chosen < running.size()) {
            return chosen;
        }
        int last = running.size() - 1;
        // Split mode: a request in either stream's step is not a candidate (the one being scheduled never is).
        while (split != null && last > 0 && running.get(last).inStep) {
            last--;
        }
        if (waiting.fcfs()) {
            return last;
        }
        int worst = last;
        for (int i = last - 1; i >= 0; i--) {
            if (running.get(i).inStep) {
                continue;
            }
            if (WaitingQueue.compare(running.get(i), running.get(worst)) > 0) {
                worst = i;
            }
        }
        return worst;
    }

    /**
     * The admission gate's view: utilisation and free/evictable tokens taken once per step, when the first
     * turn is weighed (after the running requests took their blocks); the prefix probe is live.
     */
    private final class GateView implements io.agentservesim.sched.AdmissionView {
        private long takenAtStep = -1;
        private double utilization;
        private int free;
        private int evictable;

        GateView at(long now) {
            if (takenAtStep != stepsScheduled) {
                takenAtStep = stepsScheduled;
                int bs = pool.blockSize();
                int cachedFree = pool.numCachedFreeBlocks();
                utilization = (double) pool.numUsedBlocks() / pool.numUsableBlocks();
                free = (pool.numFreeBlocks() - cachedFree) * bs;
                evictable = cachedFree * bs;
            }
            return this;
        }

        @Override public int numRunning() { return running.size(); }
        @Override public int numWaiting() { return waiting.size() + held.size(); }
        @Override public double kvUtilization() { return utilization; }
        @Override public int freeTokens() { return free; }
        @Override public int evictableTokens() { return evictable; }
        @Override public int cachedTokens(Request r) {
            return config.enablePrefixCaching() ? pool.findCachedPrefixTokens(r.kv, r.numTokens()) : 0;
        }
    }

    private int cappedNewTokens(Request r, int wanted, int budget) {
        int n = wanted;
        int threshold = config.longPrefillTokenThreshold();
        if (threshold > 0 && n > threshold) {
            n = threshold;
        }
        n = Math.min(n, budget);
        return Math.min(n, config.maxModelLen() - 1 - r.numComputedTokens);
    }

    private void preempt(Request victim, long now) {
        hooks.onPreempted(victim, now);
        releaseAdapter(victim);
        pool.free(victim.kv);
        victim.status = Request.Status.PREEMPTED;
        victim.numComputedTokens = 0;
        victim.pendingOutputs = 0;
        victim.preemptions++;
        preemptions++;
        queueFor(victim).addPreempted(victim);
    }
}
