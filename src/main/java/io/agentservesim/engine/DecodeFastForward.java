package io.agentservesim.engine;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decode fast-forward (DESIGN.md, speed): when every running request only decodes, a run of consecutive step
 * ends is handled in one event instead of one event each, with exactly the results of the step-by-step loop.
 *
 * <p>At the end of step 1 (time E1) the loop would, step after step: apply one token to every running request,
 * launch the next step (its time from the step-time model over the contexts grown by one) and plan the one after
 * it (async) or before it (sync), allocating a block for a request whose next token starts one and registering
 * a block that fills. This class does the same for the step ends E1..Ek while all of these hold, and otherwise
 * leaves the step to the ordinary path:
 * <ul>
 *   <li>the step end is the next event anyway: {@code Ej} lies strictly before every pending event (arrivals,
 *       tool returns, time-series samples, other instances' steps), so nothing can look at or change this
 *       instance in between, and nothing else is scheduled meanwhile;</li>
 *   <li>no request finishes or reaches the async "no extra step" rule, none hits max_model_len;</li>
 *   <li>every block the plans need is free (no preemption can happen);</li>
 *   <li>nothing waits, the policy is FCFS, the KV hooks have no per-step work, no LoRA, one stream
 *       ({@link Scheduler#onlyRunningMatters}).</li>
 * </ul>
 * Step times are the model's, called once per launched step in launch order with the same batch shape, so
 * the integer-nanosecond sums are the loop's; observers see every step; block allocations happen in the
 * loop's order (step by step, running order within a step). Token counters are then advanced by k at once.
 */
final class DecodeFastForward {
    private final int instanceId;
    private final Scheduler scheduler;
    private final BlockPool pool;
    private final EngineConfig config;
    private final StepTimeModel stepTime;
    private final BatchShape shape = new BatchShape();
    /** Per running request: its context in step 1 (the step that ended at E1). */
    private int[] base = new int[64];
    /** Step ends handled, ends[j] = Ej (index 0 unused). */
    private long[] ends = new long[64];

    /** Results of the latest {@link #run}: the last step end handled, when the step launched last ends, and the launched steps' time. */
    long lastEndNs;
    long lastDurationNs;
    long nextEndNs;
    long launchedNs;
    /** Steps handled by fast-forward so far (step ends beyond the first of each run). */
    long skippedEvents;

    DecodeFastForward(int instanceId, Scheduler scheduler, BlockPool pool, EngineConfig config, StepTimeModel stepTime) {
        this.instanceId = instanceId;
        this.scheduler = scheduler;
        this.pool = pool;
        this.config = config;
        this.stepTime = stepTime;
    }

    /**
     * Step 1 ({@code cur}) ended at {@code now}; with async scheduling step 2 ({@code nxt}) is planned. Handles the
     * step ends E1..Ek (launching steps 2..k+1) and returns k, or 0 (nothing changed) when step 1 does not qualify.
     * {@code bound}: the earliest pending event.
     */
    int run(long now, StepPlan cur, StepPlan nxt, boolean async, long bound, StepObserver observer) {
        if (!scheduler.onlyRunningMatters()) {
            return 0;
        }
        List<Request> running = scheduler.running();
        int n = running.size();
        if (n == 0 || n > config.maxNumBatchedTokens() || cur.size() != n || cur.decodes() != n
                || async && (nxt.size() != n || nxt.decodes() != n)) {
            return 0;
        }
        int p = async ? 1 : 0;
        int bs = pool.blockSize();
        if (base.length < n) {
            base = new int[Math.max(n, base.length * 2)];
        }
        int kmax = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Request r = running.get(i);
            int c = cur.computedBefore(i);
            if (cur.request(i) != r || cur.tokens(i) != 1 || !cur.samples(i) || cur.epoch(i) != r.preemptions
                    || r.status != Request.Status.RUNNING || r.firstTokenNs < 0
                    || r.promptTokens + r.numOutputTokens - c != 1
                    || r.numComputedTokens != c + 1 + p || r.pendingOutputs != 1 + p
                    || r.kv.numBlocks() != ceilDiv(c + 1 + p, bs)) {
                return 0;
            }
            if (async && (nxt.request(i) != r || nxt.tokens(i) != 1 || !nxt.samples(i)
                    || nxt.epoch(i) != r.preemptions || nxt.computedBefore(i) != c + 1)) {
                return 0;
            }
            // After the outputs of Ej the request has o + j tokens: it must not finish (o + j < max), and (async)
            // planning at Ej must not skip it (o + j + 1 in flight < max); planning at Ej computes token c + j + p,
            // which max_model_len - 1 - computed must allow.
            kmax = Math.min(kmax, r.maxOutputTokens - r.numOutputTokens - 1 - p);
            kmax = Math.min(kmax, config.maxModelLen() - 2 - c - p);
            base[i] = c;
        }
        int free = pool.numFreeBlocks();
        int need = 0;
        long e = now;
        long busy = 0;
        int j = 1;
        while (j <= kmax && (j == 1 || e < bound)) {
            int cross = 0;
            for (int i = 0; i < n; i++) {
                if ((base[i] + j + p) % bs == 0) {
                    cross++;
                }
            }
            if (need + cross > free) {
                break; // planning at Ej would preempt: the ordinary path handles Ej
            }
            need += cross;
            shape.clear();
            for (int i = 0; i < n; i++) {
                shape.addDecode(base[i] + j);
            }
            long d = stepTime.stepTimeNs(shape) + config.hostOverheadNs();
            observer.onStep(instanceId, e, d, shape);
            scheduler.stepLaunched(e, d, shape);
            if (j == ends.length) {
                ends = Arrays.copyOf(ends, j * 2);
            }
            ends[j] = e;
            busy += d;
            lastDurationNs = d;
            e += d;
            j++;
        }
        int k = j - 1;
        if (k == 0) {
            return 0;
        }
        allocate(running, n, k, p, bs);
        long last = ends[k];
        for (int i = 0; i < n; i++) {
            Request r = running.get(i);
            r.numOutputTokens += k;
            r.numComputedTokens += k;
            LongArrayList gaps = r.tokenGaps;
            if (gaps != null) {
                gaps.add(ends[1] - r.lastTokenNs);
                for (int s = 2; s <= k; s++) {
                    gaps.add(ends[s] - ends[s - 1]);
                }
            }
            LongArrayList times = r.tokenTimes;
            if (times != null) {
                times.addElements(times.size(), ends, 1, k);
            }
            r.lastTokenNs = last;
        }
        cur.clear();
        for (int i = 0; i < n; i++) {
            cur.add(running.get(i), 1, base[i] + k, true);
        }
        if (async) {
            nxt.clear();
            for (int i = 0; i < n; i++) {
                nxt.add(running.get(i), 1, base[i] + k + 1, true);
            }
        }
        scheduler.fastForwarded(k, last, (long) n * k);
        lastEndNs = last;
        nextEndNs = e;
        launchedNs = busy;
        skippedEvents += k - 1;
        return k;
    }

    /**
     * The plans' block allocations in the loop's order: at Ej every running request, in order, computes token
     * c + j + p; the call is made where it changes something (a new block, or a block that fills and is
     * registered), the others being no-ops.
     */
    private void allocate(List<Request> running, int n, int k, int p, int bs) {
        boolean prefix = config.enablePrefixCaching();
        for (int j = 1; j <= k; j++) {
            for (int i = 0; i < n; i++) {
                int cb = base[i] + j + p;
                KvSequence kv = running.get(i).kv;
                if (ceilDiv(cb + 1, bs) > kv.numBlocks() || prefix && (cb + 1) / bs > kv.numRegisteredBlocks()) {
                    if (!pool.allocateSlots(kv, 0, cb, 1)) {
                        throw new IllegalStateException("fast-forward: blocks counted free ran out");
                    }
                }
            }
        }
    }

    private static int ceilDiv(int tokens, int bs) {
        return (tokens + bs - 1) / bs;
    }
}
