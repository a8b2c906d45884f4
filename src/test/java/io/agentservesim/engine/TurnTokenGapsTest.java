package io.agentservesim.engine;

import static io.agentservesim.engine.TenMsEngine.MS;
import static io.agentservesim.engine.TenMsEngine.PROGRAM;
import static io.agentservesim.engine.TenMsEngine.TEN_MS_PER_SEQUENCE;
import static io.agentservesim.engine.TenMsEngine.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A turn's inter-token gaps, by hand, on an engine whose step takes 10 ms per request in the batch: the gap
 * grows while another turn shares the batch, and a finished turn's gap list goes back to the pool.
 */
class TurnTokenGapsTest {

    @Test
    void gapsFollowTheStepsTheTurnSampledIn() {
        Simulation sim = new Simulation();
        Map<Integer, long[]> gaps = new HashMap<>();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS_PER_SEQUENCE, (i, r) -> {
            gaps.put(r.id(), r.tokenGaps().toLongArray());
            done.put(r.id(), r);
        }, false);
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                engine.submitTurn(payload, now, 32, 3, new KvSequence(null, payload + 1), PROGRAM, 0, null);
            }
        });
        sim.schedule(0, feeder, 0);
        sim.schedule(15 * MS, feeder, 1);
        sim.run();
        // Turn 0: prefill alone 0-10 ms, decode alone 10-20 ms, then with turn 1's prefill 20-40 ms.
        assertThat(gaps.get(0)).containsExactly(10 * MS, 20 * MS);
        // Turn 1: first token at 40 ms (shared step), then alone: 40-50, 50-60 ms.
        assertThat(done.get(1).firstTokenNs()).isEqualTo(40 * MS);
        assertThat(gaps.get(1)).containsExactly(10 * MS, 10 * MS);
        // Both lists were handed back after their turn was recorded.
        assertThat((Object) done.get(0).tokenGaps()).isNull();
        assertThat((Object) done.get(1).tokenGaps()).isNull();
    }
}
