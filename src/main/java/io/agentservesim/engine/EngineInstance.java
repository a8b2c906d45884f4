package io.agentservesim.engine;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.partition.SmShareStepTimeModel;
import io.agentservesim.sched.FcfsPolicy;
import io.agentservesim.sched.SchedulingPolicy;
import io.agentservesim.workload.RequestSpec;

/**
 * One serving instance with vLLM v1 semantics: a scheduler, a paged KV block pool and a step-time
 * model, run as a loop of engine steps, one event per step. At a step's end its outputs are applied
 * (sampled tokens, finished requests leave) and the next step starts at once; with no work the
 * instance idles until an arrival.
 *
 * <p>Async scheduling (vLLM 0.19's default, {@code vllm/v1/engine/core.py step_with_batch_queue} with a
 * batch queue of two) plans step N+1 while step N runs on the GPU, so a step is planned from the
 * outputs of the step before the running one: a request that arrives while step N runs enters step
 * N+2 at the earliest, and the slot and blocks of a request that finishes in step N are reusable from
 * step N+2. The GPU never waits for the host. Synchronous scheduling plans each step after the outputs
 * of the previous one.
 */
public final class EngineInstance implements EventTarget {
    private static final int STEP_END = 0;
    /** Split mode: the prefill stream's step ended (STEP_END is then the decode stream's). */
    private static final int PREFILL_END = 1;
    private static final int LOAD_BASE = 2;

    private StepObserver stepObserver = StepObserver.NONE;
    /** The lockstep group this instance is a rank of, or null when it steps on its own. */
    private LockstepGroup group;

    /** Installs an observer of every step (power models); default none. */
    public void setStepObserver(StepObserver observer) {
        this.stepObserver = observer;
    }

    /** Requests whose KV is being loaded from a slower tier, by slot (the event payload). */
    private final java.util.ArrayList<Request> loading = new java.util.ArrayList<>();
    private final it.unimi.dsi.fastutil.ints.IntArrayList freeLoadSlots = new it.unimi.dsi.fastutil.ints.IntArrayList();

    private final int instanceId;
    private final Simulation sim;
    private final int targetId;
    private final EngineConfig config;
    private final BlockPool pool;
    private final Scheduler scheduler;
    private final StepTimeModel stepTime;
    private final RequestListener listener;
    private final boolean recordTokenTimes;
    private final boolean async;
    /** The step on the GPU. */
    private StepPlan current = new StepPlan();
    /** Async only: the step already planned to run after {@link #current}. */
    private StepPlan next = new StepPlan();

    private boolean stepInFlight;
    /** Duration of the step launched last (the fast-forward's guess of the next one's). */
    private long lastDurationNs;
    private long steps;
    private long busyNs;
    private long lastStepEndNs;
    private final StepWorkCounters work = new StepWorkCounters();

    public EngineInstance(int instanceId, Simulation sim, EngineConfig config, StepTimeModel stepTime,
                          RequestListener listener, boolean recordTokenTimes) {
        this(instanceId, sim, config, stepTime, listener, recordTokenTimes, new FcfsPolicy());
    }

    public EngineInstance(int instanceId, Simulation sim, EngineConfig config, StepTimeModel stepTime,
                          RequestListener listener, boolean recordTokenTimes, SchedulingPolicy policy) {
        this.instanceId = instanceId;
        this.sim = sim;
        this.config = config;
        this.pool = new BlockPool(config.numGpuBlocks(), config.blockSize(), config.enablePrefixCaching());
        this.scheduler = new Scheduler(config, pool, policy);
        this.stepTime = stepTime;
        this.listener = listener;
        this.recordTokenTimes = recordTokenTimes;
        this.async = config.asyncScheduling();
        this.targetId = sim.register(this);
        scheduler.setLoadParking(this::parkUntil);
        this.fastForward = !"false".equals(System.getProperty(FAST_FORWARD_PROPERTY))
                ? new DecodeFastForward(instanceId, scheduler, pool, config, stepTime) : null;
    }

    /**
     * Decode fast-forward ({@link DecodeFastForward}), on unless the JVM runs with {@code -Dasim.fastForward=false}
     * (read when an engine is built; results are the same either way, only the speed differs).
     */
    public static final String FAST_FORWARD_PROPERTY = "asim.fastForward";
    private DecodeFastForward fastForward;

    /** Turns decode fast-forward on or off for this engine (before its first step). */
    public void setFastForward(boolean on) {
        fastForward = on ? new DecodeFastForward(instanceId, scheduler, pool, config, stepTime) : null;
    }

    /** Step ends that decode fast-forward handled without an event of their own. */
    public long fastForwardedSteps() {
        return fastForward == null ? 0 : fastForward.skippedEvents;
    }

    /** Accepts an arriving request; starts a step if the engine was idle. */
    public void submit(RequestSpec spec, long now) {
        KvSequence kv = new KvSequence(spec.inputTokenIds(), 0x9E3779B97F4A7C15L * (spec.id() + 1L));
        Request r = new Request(spec.id(), spec.arrivalNs(), spec.inputTokens(), spec.outputTokens(), kv, recordTokenTimes);
        enqueue(r, now);
    }

    /**
     * Accepts a turn of an agent program. {@code kv} carries its token ids (prompt, and the output's when
     * known); its arrival is {@code now}.
     */
    public Request submitTurn(int requestId, long now, int promptTokens, int outputTokens, KvSequence kv,
                              ProgramHandle program, int turnIndex, String toolName) {
        Request r = new Request(requestId, now, promptTokens, outputTokens, kv, recordTokenTimes, program);
        r.turnIndex = turnIndex;
        r.toolName = toolName;
        scheduler.addWaiting(r, now);
        wake(now);
        return r;
    }

    /**
     * The scheduler admitted {@code r} with KV to be loaded from a slower tier, done at {@code readyNs}:
     * the request holds its blocks and waits outside the running list until then (vLLM's
     * WAITING_FOR_REMOTE_KVS), then returns to the waiting queue with those tokens computed.
     */
    void parkUntil(Request r, long readyNs) {
        int slot;
        if (freeLoadSlots.isEmpty()) {
            slot = loading.size();
            loading.add(r);
        } else {
            slot = freeLoadSlots.popInt();
            loading.set(slot, r);
        }
        sim.schedule(readyNs, targetId, LOAD_BASE + slot);
    }

    private void enqueue(Request r, long now) {
        scheduler.addWaiting(r);
        wake(now);
    }

    @Override
    public void onEvent(long now, int payload) {
        if (payload >= LOAD_BASE) {
            int slot = payload - LOAD_BASE;
            Request r = loading.get(slot);
            loading.set(slot, null);
            freeLoadSlots.add(slot);
            scheduler.loadFinished(r);
            wake(now);
            return;
        }
        lastStepEndNs = now;
        if (split != null) {
            streamStepEnded(payload == PREFILL_END, now);
            return;
        }
        // Only tried when the next pending event is more than a step away (else at most this one step end
        // would be batched: the checks would cost without a gain). Skipping a try never changes a result.
        if (fastForward != null && group == null && sim.nextEventTime() - now > lastDurationNs
                && fastForwardFrom(now)) {
            return;
        }
        scheduler.updateFromOutput(current, now, instanceId, listener);
        StepPlan done = current;
        if (async && !next.isEmpty()) {
            current = next;
            next = done;
        } else {
            scheduler.schedule(done, now);
        }
        launch(now);
    }

    /**
     * The step that ended at {@code now} starts a decode-only run: its step ends up to the last one before the
     * next pending event are handled here at once, and the step launched last gets its event.
     */
    private boolean fastForwardFrom(long now) {
        int k = fastForward.run(now, current, next, async, sim.nextEventTime(), stepObserver);
        if (k == 0) {
            return false;
        }
        for (int i = 0; i < k; i++) {
            work.count(current);
        }
        steps += k;
        busyNs += fastForward.launchedNs;
        lastDurationNs = fastForward.lastDurationNs;
        lastStepEndNs = fastForward.lastEndNs;
        stepInFlight = true;
        sim.schedule(fastForward.nextEndNs, targetId, STEP_END);
        return true;
    }

    /**
     * Work arrived: an idle instance plans and starts a step now; a rank of a {@link LockstepGroup} tells its
     * group, which steps all its ranks together.
     */
    private void wake(long now) {
        if (split != null) {
            startStreams(now);
        } else if (group != null) {
            group.wake(now);
        } else if (!stepInFlight) {
            scheduler.schedule(current, now);
            launch(now);
        }
    }

    /** Makes this instance a rank of {@code g}, which from now on runs its steps. */
    void joinGroup(LockstepGroup g) {
        if (group != null || stepInFlight || steps > 0) {
            throw new IllegalStateException("instance " + instanceId + " already runs steps");
        }
        group = g;
    }

    /** Group: a step of {@code duration} with this rank's {@code step} (a dummy when empty) starts now. */
    void groupStepStarted(long now, long duration, StepPlan step) {
        stepObserver.onStep(instanceId, now, duration, step.shape());
        scheduler.stepLaunched(now, duration, step.shape());
        work.count(step);
        steps++;
        busyNs += duration;
    }

    /** Group: the step of {@code plan} ended now; its outputs are applied. */
    void applyOutputs(StepPlan plan, long now) {
        lastStepEndNs = now;
        scheduler.updateFromOutput(plan, now, instanceId, listener);
    }

    /** Whether requests are waiting, running or loading their KV (vLLM's has_unfinished_requests). */
    boolean hasUnfinished() {
        return scheduler.hasWork() || numLoading() > 0;
    }

    /** Starts {@link #current} if it has work, then (async) plans the step after it. */
    private void launch(long now) {
        if (current.isEmpty()) {
            stepInFlight = false;
            return;
        }
        long duration = stepTime.stepTimeNs(current.shape()) + config.hostOverheadNs();
        lastDurationNs = duration;
        stepObserver.onStep(instanceId, now, duration, current.shape());
        scheduler.stepLaunched(now, duration, current.shape());
        work.count(current);
        stepInFlight = true;
        steps++;
        busyNs += duration;
        sim.schedule(now + duration, targetId, STEP_END);
        if (async) {
            scheduler.schedule(next, now);
        }
    }

    // ---- Split mode: a prefill stream and a decode stream (StreamSplit) ----

    private StreamSplit split;
    /** Step times on SM shares; null when the streams take turns on the whole GPU. */
    private SmShareStepTimeModel shares;
    private boolean decodeInFlight;
    private boolean prefillInFlight;
    /** SM slots (tenths) and HBM demand (bytes/s) of the streams' steps in flight. */
    private int decodeSlot;
    private int prefillSlot;
    private double decodeDemand;
    private double prefillDemand;
    private long lastDecodeEndNs = -1;
    private boolean lastDecodeHadDecodes;
    private boolean lastLaunchedDecode;
    private long decodeSlotSteps;
    private long decodeSlotSum;

    /**
     * Runs this instance's steps as two streams ({@link StreamSplit}), with step times on SM shares from
     * {@code shares} (required when the split is partitioned). Scheduling is synchronous in each stream (the
     * next step of a stream is planned when its step ends): the async batch queue is vLLM's, not AgentServe's.
     * Must be called before the first arrival.
     */
    public void useStreams(StreamSplit split, SmShareStepTimeModel shares) {
        if (steps > 0 || group != null) {
            throw new IllegalStateException("instance " + instanceId + " already runs steps");
        }
        if (split.partitioned() && shares == null) {
            throw new IllegalArgumentException("a partitioned split needs the SM-share step-time model");
        }
        this.split = split;
        this.shares = split.partitioned() ? shares : null;
        scheduler.useStreams(split);
        next = new StepPlan(); // the prefill stream's step; current is the decode stream's
    }

    private void streamStepEnded(boolean prefill, long now) {
        StepPlan plan = prefill ? next : current;
        scheduler.updateFromOutput(plan, now, instanceId, listener);
        scheduler.releaseStep(plan);
        if (prefill) {
            prefillInFlight = false;
        } else {
            decodeInFlight = false;
            boolean hadDecodes = plan.decodes() > 0;
            if (hadDecodes) {
                split.controller().onDecodeStep(now, lastDecodeHadDecodes ? now - lastDecodeEndNs : -1,
                        decodeSlot < SmShareStepTimeModel.SLOTS);
            }
            lastDecodeEndNs = now;
            lastDecodeHadDecodes = hadDecodes;
        }
        startStreams(now);
    }

    /**
     * Starts the streams that can start. Partitioned: the prefill stream runs on the SMs the decode stream leaves
     * (the controller's decode share is reserved even while no decode runs); the decode stream on the whole GPU
     * when no prefill runs or starts with it, else on its share; a stream waits while the other runs on the
     * whole GPU (at most one decode step). Time-sliced: one step at a time, decode and prefill alternating (decode first)
     * or the prefill stream whenever it has a step (prefill first).
     */
    private void startStreams(long now) {
        if (split.partitioned()) {
            boolean canDecode = !decodeInFlight;
            boolean canPrefill = !prefillInFlight && !(decodeInFlight && decodeSlot == SmShareStepTimeModel.SLOTS);
            boolean decodeReady = false;
            boolean prefillReady = false;
            if (split.decodeFirst()) {
                decodeReady = canDecode && planDecode(now);
                prefillReady = canPrefill && planPrefill(now);
            } else {
                prefillReady = canPrefill && planPrefill(now);
                decodeReady = canDecode && planDecode(now);
            }
            int r = split.controller().decodeSlot();
            if (decodeReady) {
                launchStream(false, prefillInFlight ? SmShareStepTimeModel.SLOTS - prefillSlot
                        : prefillReady ? r : SmShareStepTimeModel.SLOTS, now);
            }
            if (prefillReady) {
                // The decode share stays reserved while a prefill runs, so that a resume or a first decode never
                // waits for a prefill chunk on the whole GPU.
                launchStream(true, SmShareStepTimeModel.SLOTS - (decodeInFlight ? decodeSlot : r), now);
            }
            return;
        }
        if (decodeInFlight || prefillInFlight) {
            return;
        }
        boolean prefillTurn = !split.decodeFirst() || lastLaunchedDecode;
        if (prefillTurn ? planPrefill(now) : planDecode(now)) {
            launchStream(prefillTurn, SmShareStepTimeModel.SLOTS, now);
        } else if (prefillTurn ? planDecode(now) : planPrefill(now)) {
            launchStream(!prefillTurn, SmShareStepTimeModel.SLOTS, now);
        }
    }

    private boolean planDecode(long now) {
        scheduler.scheduleDecodeStream(current, now, split.controller().resumeBudget());
        return !current.isEmpty();
    }

    private boolean planPrefill(long now) {
        scheduler.schedulePrefillStream(next, now);
        return !next.isEmpty();
    }

    /**
     * Launches a stream's planned step on {@code slot} tenths of the SMs, with the HBM bandwidth the other
     * stream's step in flight leaves it.
     */
    private void launchStream(boolean prefill, int slot, long now) {
        StepPlan plan = prefill ? next : current;
        BatchShape shape = plan.shape();
        boolean otherInFlight = prefill ? decodeInFlight : prefillInFlight;
        long gpu;
        if (shares == null || slot == SmShareStepTimeModel.SLOTS && !otherInFlight) {
            gpu = stepTime.stepTimeNs(shape);
        } else {
            double bw = otherInFlight ? shares.bandwidthBeside(slot, prefill ? decodeDemand : prefillDemand)
                    : shares.bandwidthCap(slot);
            gpu = shares.stepTimeNs(shape, slot, bw);
        }
        long duration = gpu + config.hostOverheadNs();
        double demand = shares == null ? 0 : shares.stepBytes(shape) / (duration * 1e-9);
        if (prefill) {
            prefillInFlight = true;
            prefillSlot = slot;
            prefillDemand = demand;
        } else {
            decodeInFlight = true;
            decodeSlot = slot;
            decodeDemand = demand;
            decodeSlotSteps++;
            decodeSlotSum += slot;
        }
        lastLaunchedDecode = !prefill;
        stepObserver.onStep(instanceId, now, duration, shape);
        work.count(plan);
        steps++;
        busyNs += duration;
        sim.schedule(now + duration, targetId, prefill ? PREFILL_END : STEP_END);
    }

    /** Split mode: mean SM share of the decode stream's steps (tenths), 0 without split steps. */
    public double meanDecodeSlot() {
        return decodeSlotSteps == 0 ? 0 : (double) decodeSlotSum / decodeSlotSteps;
    }

    /** The split this instance runs, or null for vLLM's one stream. */
    public StreamSplit split() {
        return split;
    }

    public int instanceId() { return instanceId; }
    public EngineConfig config() { return config; }
    public BlockPool pool() { return pool; }
    public Scheduler scheduler() { return scheduler; }
    public StepTimeModel stepTimeModel() { return stepTime; }
    public long steps() { return steps; }
    /** Requests waiting for their KV to be loaded from a slower tier. */
    public int numLoading() { return loading.size() - freeLoadSlots.size(); }
    public long busyNs() { return busyNs; }
    /** When the latest finished step ended (0 before any). */
    public long lastStepEndNs() { return lastStepEndNs; }

    /** This instance's steps by kind of work (cold/resume prefill, decode). */
    public StepWorkCounters work() { return work; }
}
