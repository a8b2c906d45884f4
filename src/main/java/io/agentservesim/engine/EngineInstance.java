package io.agentservesim.engine;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.workload.RequestSpec;

/**
 * One serving instance with vLLM v1 semantics: a scheduler, a paged KV block pool and a step-time
 * model. It runs as a loop of engine steps, each one event: at a step's end the scheduled tokens
 * count as computed, every request whose KV now covers all its tokens samples one token (the first
 * one ends its prefill), finished requests leave, and the next step is scheduled at once. With no work
 * the instance idles until an arrival.
 */
public final class EngineInstance implements EventTarget {
    private static final int STEP_END = 0;

    private final int instanceId;
    private final Simulation sim;
    private final int targetId;
    private final EngineConfig config;
    private final BlockPool pool;
    private final Scheduler scheduler;
    private final StepTimeModel stepTime;
    private final RequestListener listener;
    private final boolean recordTokenTimes;
    private final StepPlan plan = new StepPlan();

    private boolean stepInFlight;
    private long steps;
    private long busyNs;
    private long generatedTokens;
    private long computedTokens;

    public EngineInstance(int instanceId, Simulation sim, EngineConfig config, StepTimeModel stepTime,
                          RequestListener listener, boolean recordTokenTimes) {
        this.instanceId = instanceId;
        this.sim = sim;
        this.config = config;
        this.pool = new BlockPool(config.numGpuBlocks(), config.blockSize(), config.enablePrefixCaching());
        this.scheduler = new Scheduler(config, pool);
        this.stepTime = stepTime;
        this.listener = listener;
        this.recordTokenTimes = recordTokenTimes;
        this.targetId = sim.register(this);
    }

    /** Accepts an arriving request; starts a step if the engine was idle. */
    public void submit(RequestSpec spec, long now) {
        KvSequence kv = new KvSequence(spec.inputTokenIds(), 0x9E3779B97F4A7C15L * (spec.id() + 1L));
        Request r = new Request(spec.id(), spec.arrivalNs(), spec.inputTokens(), spec.outputTokens(), kv, recordTokenTimes);
        scheduler.addWaiting(r);
        if (!stepInFlight) {
            startStep(now);
        }
    }

    @Override
    public void onEvent(long now, int payload) {
        finishStep(now);
        startStep(now);
    }

    private void startStep(long now) {
        scheduler.schedule(plan, now);
        if (plan.isEmpty()) {
            stepInFlight = false;
            return;
        }
        long duration = stepTime.stepTimeNs(plan.shape()) + config.hostOverheadNs();
        stepInFlight = true;
        steps++;
        busyNs += duration;
        sim.schedule(now + duration, targetId, STEP_END);
    }

    private void finishStep(long now) {
        boolean anyFinished = false;
        for (int i = 0, n = plan.size(); i < n; i++) {
            Request r = plan.get(i);
            if (r.status != Request.Status.RUNNING) {
                continue;
            }
            r.numComputedTokens += r.scheduledTokens;
            computedTokens += r.scheduledTokens;
            r.scheduledTokens = 0;
            if (r.numComputedTokens < r.numTokens()) {
                continue; // a prefill chunk that does not reach the end samples nothing
            }
            r.numOutputTokens++;
            generatedTokens++;
            if (r.firstTokenNs < 0) {
                r.firstTokenNs = now;
            } else if (r.tokenTimes != null) {
                r.tokenTimes.add(now);
            }
            r.lastTokenNs = now;
            if (r.numOutputTokens >= r.maxOutputTokens) {
                r.status = Request.Status.FINISHED;
                anyFinished = true;
            }
        }
        if (anyFinished) {
            for (int i = 0, n = plan.size(); i < n; i++) {
                Request r = plan.get(i);
                if (r.status == Request.Status.FINISHED) {
                    listener.onFinished(instanceId, r);
                }
            }
            scheduler.removeFinished();
        }
    }

    public int instanceId() { return instanceId; }
    public EngineConfig config() { return config; }
    public BlockPool pool() { return pool; }
    public Scheduler scheduler() { return scheduler; }
    public StepTimeModel stepTimeModel() { return stepTime; }
    public long steps() { return steps; }
    public long busyNs() { return busyNs; }
    public long generatedTokens() { return generatedTokens; }
    public long computedTokens() { return computedTokens; }
}
