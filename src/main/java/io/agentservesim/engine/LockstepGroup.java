package io.agentservesim.engine;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.LockstepStepTimeModel;

/**
 * The data-parallel ranks of an MoE model stepping together, as vLLM's {@code DPEngineCoreProc} runs them
 * ({@code vllm/v1/engine/core.py run_busy_loop}, vLLM 0.19). Each rank is an {@link EngineInstance} with its
 * own scheduler and KV pool; the group owns their clock:
 * <ul>
 *   <li>Every rank takes every step: while any rank has unfinished requests, a rank with nothing scheduled
 *       runs a dummy batch ({@code execute_dummy_batch}), because each MoE layer exchanges tokens among all
 *       ranks. One event per group step; its duration is the {@link LockstepStepTimeModel}'s for all
 *       ranks' batches.</li>
 *   <li>When no rank has unfinished requests the ranks keep running dummy steps until the step count of
 *       the wave is a multiple of {@value #WAVE_CHECK_STEPS}: vLLM checks for unfinished requests across the
 *       ranks only every 32 steps ({@code _has_global_unfinished_reqs}); then the wave ends and the group
 *       idles until a request arrives (the coordinator's {@code START_DP_WAVE}).</li>
 *   <li>When each rank plans: a rank's CPU prepares a step and then meets the other ranks' CPUs in an
 *       all-reduce of the step's token counts ({@code coordinate_batch_across_dp}). With async scheduling a
 *       rank with requests plans step k+1 when step k starts, as a single engine does (its batch queue of
 *       two; see {@link EngineInstance}); with synchronous scheduling when step k ends. A rank whose steps k
 *       and k+1 are dummies has nothing to wait for: having launched its dummy for k+1 it plans k+2 at once
 *       and waits in that step's all-reduce, so a request that reaches an idle rank of a busy group starts
 *       one step later than one that reaches a busy rank. A step whose plan came out empty stays a dummy
 *       (its rank ran {@code execute_dummy_batch} for it).</li>
 * </ul>
 * Deliberately left out: vLLM keeps stepping dummies while a rank holds waiting requests that cannot be
 * admitted with nothing running or loading; the group idles then, as a single engine does, until an event
 * (an arrival, a finished KV load) wakes it.
 */
public final class LockstepGroup implements EventTarget {
    /** vLLM's interval between cross-rank checks for unfinished requests, in steps. */
    static final int WAVE_CHECK_STEPS = 32;
    /** Plans a rank holds: the step on the GPU and up to two planned after it. */
    private static final int DEPTH = 3;

    private final Simulation sim;
    private final int targetId;
    private final EngineInstance[] ranks;
    private final LockstepStepTimeModel stepTime;
    private final long hostOverheadNs;
    private final boolean async;
    /** [rank][slot]: slot {@link #head} is the step on the GPU, the next ones the steps planned after it. */
    private final StepPlan[][] plans;
    /** Per rank: how many steps after the one on the GPU it has planned (0 to 2). */
    private final int[] planned;
    private final BatchShape[] shapes;
    private int head;
    private boolean running;
    /** Work arrived while the group was running, since the ranks last planned. */
    private boolean arrivedSincePlanning;
    private long waveSteps;
    private long steps;

    public LockstepGroup(Simulation sim, EngineInstance[] ranks, LockstepStepTimeModel stepTime) {
        if (ranks.length < 2) {
            throw new IllegalArgumentException("a lockstep group needs at least 2 ranks, got " + ranks.length);
        }
        this.sim = sim;
        this.ranks = ranks.clone();
        this.stepTime = stepTime;
        EngineConfig c = ranks[0].config();
        this.hostOverheadNs = c.hostOverheadNs();
        this.async = c.asyncScheduling();
        this.plans = new StepPlan[ranks.length][DEPTH];
        this.planned = new int[ranks.length];
        this.shapes = new BatchShape[ranks.length];
        for (int r = 0; r < ranks.length; r++) {
            if (ranks[r].config().asyncScheduling() != async || ranks[r].config().hostOverheadNs() != hostOverheadNs) {
                throw new IllegalArgumentException("the ranks of a lockstep group need the same engine settings");
            }
            for (int s = 0; s < DEPTH; s++) {
                plans[r][s] = new StepPlan();
            }
        }
        this.targetId = sim.register(this);
        for (EngineInstance rank : this.ranks) {
            rank.joinGroup(this);
        }
    }

    /** A rank got work (an arrival, a finished KV load): an idle group starts a wave now. */
    void wake(long now) {
        if (running) {
            arrivedSincePlanning = true;
            return;
        }
        running = true;
        waveSteps = 0;
        for (int r = 0; r < ranks.length; r++) {
            ranks[r].scheduler().schedule(plan(r, 0), now);
            planned[r] = 0;
        }
        arrivedSincePlanning = false;
        launch(now);
    }

    @Override
    public void onEvent(long now, int payload) {
        for (int r = 0; r < ranks.length; r++) {
            StepPlan done = plan(r, 0);
            if (!done.isEmpty()) {
                ranks[r].applyOutputs(done, now);
            }
        }
        head = (head + 1) % DEPTH;
        for (int r = 0; r < ranks.length; r++) {
            if (planned[r] > 0) {
                planned[r]--;
            } else {
                ranks[r].scheduler().schedule(plan(r, 0), now);  // synchronous scheduling: plans when the step ends
            }
        }
        launch(now);
    }

    /** Starts the step every rank has planned, unless the wave is over; then plans ahead. */
    private void launch(long now) {
        if (!anyWorkPlanned() && !arrivedSincePlanning) {
            boolean unfinished = false;
            boolean advancing = false;
            for (EngineInstance rank : ranks) {
                unfinished |= rank.hasUnfinished();
                advancing |= rank.scheduler().numRunning() > 0 || rank.numLoading() > 0;
            }
            if (unfinished ? !advancing : waveSteps % WAVE_CHECK_STEPS == 0) {
                running = false;
                return;
            }
        }
        for (int r = 0; r < ranks.length; r++) {
            shapes[r] = plan(r, 0).shape();
        }
        long duration = stepTime.stepTimeNs(shapes) + hostOverheadNs;
        for (int r = 0; r < ranks.length; r++) {
            ranks[r].groupStepStarted(now, duration, plan(r, 0));
        }
        waveSteps++;
        steps++;
        sim.schedule(now + duration, targetId, 0);
        planAhead(now);
        arrivedSincePlanning = false;
    }

    /**
     * The ranks' CPUs run ahead of the step on the GPU: each plans the next step (async scheduling, or a
     * rank idle now), and a rank whose current and next steps are dummies plans the one after as well once
     * every rank has planned the next.
     */
    private void planAhead(long now) {
        boolean allPlannedNext = true;
        for (int r = 0; r < ranks.length; r++) {
            if (planned[r] == 0 && (async || plan(r, 0).isEmpty())) {
                ranks[r].scheduler().schedule(plan(r, 1), now);
                planned[r] = 1;
            }
            allPlannedNext &= planned[r] >= 1;
        }
        if (!allPlannedNext) {
            return;
        }
        for (int r = 0; r < ranks.length; r++) {
            if (planned[r] == 1 && plan(r, 0).isEmpty() && plan(r, 1).isEmpty()) {
                ranks[r].scheduler().schedule(plan(r, 2), now);
                planned[r] = 2;
            }
        }
    }

    /** Whether any rank has a real (non-dummy) step on the GPU or planned. */
    private boolean anyWorkPlanned() {
        for (int r = 0; r < ranks.length; r++) {
            for (int i = 0; i <= planned[r]; i++) {
                if (!plan(r, i).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private StepPlan plan(int rank, int ahead) {
        return plans[rank][(head + ahead) % DEPTH];
    }

    /** Steps the group has taken (each rank took each of them, real or dummy). */
    public long steps() { return steps; }

    public int size() { return ranks.length; }
}
