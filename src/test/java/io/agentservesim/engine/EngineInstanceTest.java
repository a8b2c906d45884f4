package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.workload.RequestSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Timestamps of a few requests on an engine whose every step takes 10 ms: checkable by hand. */
class EngineInstanceTest {
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

    private static Map<Integer, Request> run(boolean async, RequestSpec... specs) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, async, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS, (i, r) -> done.put(r.id(), r), true);
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                engine.submit(specs[payload], now);
            }
        });
        for (int i = 0; i < specs.length; i++) {
            sim.schedule(specs[i].arrivalNs(), feeder, i);
        }
        sim.run();
        return done;
    }

    @Test
    void aLoneRequestTakesOneStepToItsFirstTokenAndOneStepPerTokenAfter() {
        for (boolean async : new boolean[] {false, true}) {
            Request r = run(async, new RequestSpec(0, 0, 32, 3, null)).get(0);
            assertThat(r.firstTokenNs()).isEqualTo(10 * MS);
            assertThat(r.lastTokenNs()).isEqualTo(30 * MS);
            assertThat(r.tokenTimes().toLongArray()).containsExactly(20 * MS, 30 * MS);
        }
    }

    @Test
    void asyncSchedulingAdmitsAnArrivalOneStepLaterThanSyncScheduling() {
        RequestSpec a = new RequestSpec(0, 0, 32, 5, null);
        RequestSpec b = new RequestSpec(1, 5 * MS, 32, 2, null);
        // Sync: b arrives during step 1 (0-10 ms), joins step 2 (10-20 ms): first token at 20 ms.
        Request syncB = run(false, a, b).get(1);
        assertThat(syncB.firstScheduledNs()).isEqualTo(10 * MS);
        assertThat(syncB.firstTokenNs()).isEqualTo(20 * MS);
        // Async: step 2 was planned at 0 ms, before b arrived; b joins step 3 (20-30 ms).
        Request asyncB = run(true, a, b).get(1);
        assertThat(asyncB.firstScheduledNs()).isEqualTo(10 * MS);
        assertThat(asyncB.firstTokenNs()).isEqualTo(30 * MS);
        assertThat(asyncB.lastTokenNs()).isEqualTo(40 * MS);
    }
}
