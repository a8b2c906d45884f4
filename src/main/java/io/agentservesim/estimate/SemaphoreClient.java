package io.agentservesim.estimate;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.results.TurnLatency;
import io.agentservesim.workload.RequestSpec;

/**
 * serve.py's client with {@code --request-rate inf --max-concurrency C}: a list of N requests, each issued
 * when one of C semaphore slots is free, in list order. The first C leave at t = 0; each completion frees a
 * slot and the next request in the list leaves at that instant. Lengths are drawn up front, in list order,
 * input then output per request, as the dataset is sampled before the benchmark starts.
 */
final class SemaphoreClient implements EventTarget, RequestListener {
    private final Simulation sim = new Simulation();
    private final int target;
    private final EngineConfig engine;
    private final CountingSteps steps;
    private final ClosedLoopEstimate.Client client;
    private final int[] inputLens;
    private final int[] outputLens;
    private final long[] prefillStartNs;
    private EngineInstance instance;
    private int next;
    private int finished;
    private double ttftSumNs;
    private double tpotSumNs;
    private int tpotCount;
    private long outputTokens;
    private long endNs;

    SemaphoreClient(EngineConfig engine, StepTimeModel stepTime, int isl, int osl, ClosedLoopEstimate.Client client,
                    long[] prefillStartNs) {
        this.target = sim.register(this);
        this.engine = engine;
        this.steps = new CountingSteps(stepTime);
        this.client = client;
        this.prefillStartNs = prefillStartNs;
        int n = client.numPrompts();
        this.inputLens = new int[n];
        this.outputLens = new int[n];
        LengthSampler lengths = new LengthSampler(client.seed(), client.rangeRatio());
        for (int i = 0; i < n; i++) {
            inputLens[i] = lengths.next(isl);
            outputLens[i] = lengths.next(osl);
        }
    }

    ClosedLoopEstimate.Result run() {
        instance = new EngineInstance(0, sim, engine, steps, this, false);
        int first = Math.min(client.concurrency(), client.numPrompts());
        for (int i = 0; i < first; i++) {
            issue(0L);
        }
        sim.run();
        double durationS = endNs / 1e9;
        return new ClosedLoopEstimate.Result(ttftSumNs / finished / 1e6, tpotCount > 0 ? tpotSumNs / tpotCount / 1e6 : 0.0,
                durationS > 0 ? outputTokens / durationS : Double.NaN, engine.numGpuBlocks(), engine.maxNumBatchedTokens(),
                engine.maxNumSeqs(), steps.source(), "as given", 1, engine.enableChunkedPrefill(), client.describe(),
                steps.mixed);
    }

    private void issue(long now) {
        int id = next++;
        instance.submit(new RequestSpec(id, now, inputLens[id], outputLens[id], null), now);
    }

    @Override
    public void onFinished(int instanceId, Request r) {
        long now = r.lastTokenNs();
        finished++;
        ttftSumNs += r.firstTokenNs() - r.arrivalNs();
        if (r.outputTokens() > 1) {
            tpotSumNs += TurnLatency.tpotNs(r.firstTokenNs(), r.lastTokenNs(), r.outputTokens());
            tpotCount++;
        }
        outputTokens += r.outputTokens();
        endNs = Math.max(endNs, now);
        if (prefillStartNs != null && r.id() < prefillStartNs.length) {
            prefillStartNs[r.id()] = r.firstScheduledNs();
        }
        if (next < client.numPrompts()) {
            sim.schedule(now, target, 0);
        }
    }

    @Override
    public void onEvent(long now, int payload) {
        issue(now);
    }

    /** The step-time model, counting the steps that carry a prefill chunk next to decodes. */
    private static final class CountingSteps implements StepTimeModel {
        private final StepTimeModel inner;
        long mixed;

        CountingSteps(StepTimeModel inner) {
            this.inner = inner;
        }

        @Override
        public long stepTimeNs(BatchShape batch) {
            if (batch.numPrefills() > 0 && batch.numDecodes() > 0) {
                mixed++;
            }
            return inner.stepTimeNs(batch);
        }

        @Override
        public String source() {
            return inner.source();
        }
    }
}
