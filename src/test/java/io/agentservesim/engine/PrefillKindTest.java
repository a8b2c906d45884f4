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
 * Cold and resume prefills and the kinds of steps, by hand, on an engine whose step takes 10 ms per sequence
 * (16-token blocks, prefix caching, synchronous scheduling).
 */
class PrefillKindTest {

    @Test
    void resumeNeedsHalfThePromptCached() {
        assertThat(PrefillKind.of(0, 100)).isEqualTo(PrefillKind.COLD);
        assertThat(PrefillKind.of(49, 100)).isEqualTo(PrefillKind.COLD);
        assertThat(PrefillKind.of(50, 100)).isEqualTo(PrefillKind.RESUME);
        assertThat(PrefillKind.of(96, 100)).isEqualTo(PrefillKind.RESUME);
        assertThat(PrefillKind.of(0, 0)).isEqualTo(PrefillKind.COLD);
        assertThat(PrefillKind.RESUME.label()).isEqualTo("resume");
    }

    @Test
    void turnsAreClassifiedAtAdmissionAndStepsByTheirWork() {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS_PER_SEQUENCE, (i, r) -> done.put(r.id(), r), false);
        int[][] prompts = {ids(0, 64), ids(0, 96), ids(1000, 96)};
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                int[] p = prompts[payload];
                engine.submitTurn(payload, now, p.length, 2, new KvSequence(p, payload + 1), PROGRAM, payload, null);
            }
        });
        sim.schedule(0, feeder, 0);        // A: 64 new tokens (0-10 ms prefill, 10-20 ms decode)
        sim.schedule(100 * MS, feeder, 1); // B: A's 64 tokens (4 blocks) cached + 32 new: resume (100-110 ms)
        sim.schedule(105 * MS, feeder, 2); // C: 96 tokens never seen: cold, prefills beside B's decode (110-130 ms)
        sim.run();

        assertThat(done.get(0).prefillKind()).isEqualTo(PrefillKind.COLD);
        assertThat(done.get(0).prefixHitTokens()).isZero();
        assertThat(done.get(1).prefixHitTokens()).isEqualTo(64);
        assertThat(done.get(1).prefillKind()).isEqualTo(PrefillKind.RESUME);
        assertThat(done.get(2).prefillKind()).isEqualTo(PrefillKind.COLD);
        assertThat(done.get(2).firstTokenNs()).isEqualTo(130 * MS);

        StepWorkCounters w = engine.work();
        assertThat(engine.steps()).isEqualTo(5);
        assertThat(w.prefillOnlySteps()).isEqualTo(2);  // A's prefill, B's prefill
        assertThat(w.decodeOnlySteps()).isEqualTo(2);   // A's decode, C's decode
        assertThat(w.mixedSteps()).isEqualTo(1);        // B's decode with C's prefill
        assertThat(w.coldPrefillTokens()).isEqualTo(64 + 96);
        assertThat(w.resumePrefillTokens()).isEqualTo(32);
        assertThat(w.decodeTokens()).isEqualTo(3);
    }
}
