package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * KV read back from a slower tier, by hand-checkable times (every step 10 ms, a load 15 ms): loaded at
 * admission, the turn holds its blocks and waits for the transfer; prefetched on arrival, the transfer
 * overlaps its queueing.
 */
class KvLoadTest {
    private static final long MS = 1_000_000L;

    private static final StepTimeModel TEN_MS = new StepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape batch) {
            return 10 * MS;
        }

        @Override
        public String source() {
            return "constant:10ms";
        }
    };

    /** A slower tier that holds the first 32 tokens of request 1 and takes 15 ms to read them. */
    private static KvHooks tier(EngineInstance engine, boolean prefetch) {
        return tier(engine, prefetch, 0);
    }

    /**
     * As above; with {@code readyNs > 0} the tier holds nothing and request 1's GPU KV is still in flight
     * (prefetched ahead of it) until then.
     */
    private static KvHooks tier(EngineInstance engine, boolean prefetch, long readyNs) {
        KvHooks stock = KvHooks.stock(engine.pool());
        return new KvHooks() {
            @Override
            public void onFinished(Request r, long now) {
                stock.onFinished(r, now);
            }

            @Override
            public void beforeAdmission(Request r, long now) {
            }

            @Override
            public boolean reclaim(long now) {
                return false;
            }

            @Override
            public int externalHitTokens(Request r, int gpuHitTokens) {
                return r.id() == 1 && readyNs == 0 ? 32 : 0; // a prefetched turn finds it all on the GPU
            }

            @Override
            public long startLoad(Request r, int fromToken, int tokens, long now) {
                r.setRestore(fromToken / 16, tokens / 16, tokens * 1000L);
                return now + 15 * MS;
            }

            @Override
            public boolean prefetchOnArrival() {
                return prefetch;
            }

            @Override
            public long kvReadyNs(Request r, long now) {
                return r.id() == 1 ? Math.max(now, readyNs) : now;
            }
        };
    }

    private static Map<Integer, Request> run(boolean prefetch) {
        return run(prefetch, 0);
    }

    private static Map<Integer, Request> run(boolean prefetch, long readyNs) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS, (i, r) -> done.put(r.id(), r), false);
        engine.scheduler().setKvHooks(tier(engine, prefetch, readyNs));
        int feeder = sim.register((now, id) -> engine.submitTurn(id, now, id == 0 ? 32 : 48, id == 0 ? 6 : 2,
                new KvSequence(null, 77L + id), null, 0, null));
        sim.schedule(0, feeder, 0);
        sim.schedule(5 * MS, feeder, 1);
        sim.run();
        return done;
    }

    @Test
    void aLoadAtAdmissionDelaysTheTurnByTheTransfer() {
        Request b = run(false).get(1);
        // Admitted at 10 ms (next step boundary), loaded until 25 ms, queued, scheduled at 30 ms: token at 40 ms.
        assertThat(b.firstScheduledNs()).isEqualTo(10 * MS);
        assertThat(b.firstTokenNs()).isEqualTo(40 * MS);
        assertThat(b.prefixHitTokens()).isEqualTo(32);
        assertThat(b.restoredBytes()).isEqualTo(32_000);
    }

    @Test
    void aPrefetchOnArrivalOverlapsTheTransferWithQueueing() {
        Request b = run(true).get(1);
        // Load from 5 ms to 20 ms, then queued and scheduled at the 20 ms boundary: first token at 30 ms.
        assertThat(b.firstScheduledNs()).isEqualTo(20 * MS);
        assertThat(b.firstTokenNs()).isEqualTo(30 * MS);
        assertThat(b.prefixHitTokens()).isEqualTo(32);
    }

    @Test
    void aTurnWhoseKvIsStillInFlightWaitsForIt() {
        // Request 1 arrives at 5 ms; its prefetched KV lands at 17 ms: it joins the queue then and is scheduled at
        // the 20 ms step boundary instead of the 10 ms one (where it goes when nothing is in flight, above).
        Request b = run(true, 17 * MS).get(1);
        assertThat(b.arrivalNs()).isEqualTo(5 * MS);
        assertThat(b.firstScheduledNs()).isEqualTo(20 * MS);
        assertThat(b.firstTokenNs()).isEqualTo(30 * MS);
    }
}
