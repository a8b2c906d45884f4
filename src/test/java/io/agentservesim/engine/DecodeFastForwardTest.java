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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decode fast-forward gives the step-by-step loop's results: by hand on one request, and request by request
 * (every token's time, every gap, preemptions, prefix hits) plus the engine's counters on a busy engine with
 * growing-context step times, prefix caching and preemptions, fast-forward on and off.
 */
class DecodeFastForwardTest {

    /** 4 ms + 2 us per sequence + 1 ns per context token: step times move with every decoded token. */
    private static final StepTimeModel CONTEXT_DEPENDENT = new StepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape b) {
            long kv = 0;
            for (int i = 0; i < b.numDecodes(); i++) {
                kv += b.decodeKv(i);
            }
            for (int i = 0; i < b.numPrefills(); i++) {
                kv += b.prefillKv(i) + 40L * b.prefillChunk(i);
            }
            return 4 * MS + 2_000L * b.numSequences() + kv;
        }

        @Override
        public String source() {
            return "context-dependent";
        }
    };

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aLoneDecodeRunsInOneEventWithTheLoopsTokenTimes(boolean async) {
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, async, 0);
        Simulation sim = new Simulation();
        List<Request> done = new ArrayList<>();
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS_PER_SEQUENCE, (i, r) -> done.add(r), true);
        engine.setFastForward(true);
        engine.submitTurn(0, 0, 32, 50, new KvSequence(ids(0, 82), 1), PROGRAM, 0, null);
        sim.run();
        // Prefill 0-10 ms gives the first token; each of the 49 decode steps takes 10 ms (async: the first
        // decode is planned during the prefill, so the engine runs back to back all the same).
        Request r = done.get(0);
        assertThat(r.firstTokenNs()).isEqualTo(10 * MS);
        assertThat(r.lastTokenNs()).isEqualTo(500 * MS);
        long[] want = new long[49];
        for (int i = 0; i < 49; i++) {
            want[i] = (20 + 10L * i) * MS;
        }
        assertThat(r.tokenTimes().toLongArray()).containsExactly(want);
        assertThat((Object) r.tokenGaps()).isNull(); // handed back after the turn was recorded
        assertThat(engine.steps()).isEqualTo(50); // async skips the step past the last token, as vLLM
        // Nothing else is pending: all decodes but the last few (finish, async no-extra-step) are batched.
        assertThat(engine.fastForwardedSteps()).isGreaterThan(40);
    }

    @ParameterizedTest(name = "async={0}")
    @ValueSource(booleans = {false, true})
    void aBusyEngineGivesTheSameResultsWithFastForwardOnAndOff(boolean async) {
        Outcome off = busyRun(async, false);
        Outcome on = busyRun(async, true);
        assertThat(on.ffSteps).as("fast-forward engaged").isGreaterThan(1000);
        assertThat(off.ffSteps).isZero();
        assertThat(off.preemptions).as("the case exercises preemption").isPositive();
        assertThat(on.rows).containsExactlyElementsOf(off.rows);
        assertThat(on.engine).isEqualTo(off.engine);
    }

    private record Outcome(List<String> rows, String engine, long ffSteps, long preemptions) {
    }

    /** 300 requests at random times with shared prefixes on a pool of 250 blocks without full-ISL reservation: waits, preemptions, long decodes. */
    private static Outcome busyRun(boolean async, boolean ff) {
        EngineConfig config = new EngineConfig(512, 32, 8192, 16, 250, true, true, 0, false, async, 30_000);
        Simulation sim = new Simulation();
        List<String> rows = new ArrayList<>();
        EngineInstance engine = new EngineInstance(0, sim, config, CONTEXT_DEPENDENT, (i, r) -> rows.add(
                r.id() + " " + r.arrivalNs() + " " + r.firstScheduledNs() + " " + r.firstTokenNs() + " "
                        + r.lastTokenNs() + " " + r.preemptions() + " " + r.prefixHitTokens() + " "
                        + Arrays.toString(r.tokenTimes().toLongArray()) + " "
                        + Arrays.toString(r.tokenGaps() == null ? null : r.tokenGaps().toLongArray())), true);
        engine.setFastForward(ff);
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        long[] at = new long[n];
        int[] prompt = new int[n];
        int[] out = new int[n];
        long t = 0;
        for (int i = 0; i < n; i++) {
            t += rng.nextLong(150 * MS);
            at[i] = t;
            prompt[i] = 20 + rng.nextInt(600);
            out[i] = 1 + rng.nextInt(rng.nextBoolean() ? 30 : 400);
        }
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int i) {
                // Prompts share a prefix with one of 5 "system prompts" (prefix hits); the output's ids follow.
                int[] ids = ids(100_000 * (i % 5), prompt[i] + out[i]);
                for (int k = 64; k < ids.length; k++) {
                    ids[k] = 1_000_000 + i * 10_000 + k;
                }
                engine.submitTurn(i, now, prompt[i], out[i], new KvSequence(ids, i + 1), PROGRAM, 0, null);
            }
        });
        for (int i = 0; i < n; i++) {
            sim.schedule(at[i], feeder, i);
        }
        sim.run();
        assertThat(rows).hasSize(n);
        String e = engine.steps() + " " + engine.busyNs() + " " + engine.lastStepEndNs() + " "
                + engine.scheduler().preemptions() + " " + engine.scheduler().generatedTokens() + " "
                + engine.pool().evictions() + " " + engine.pool().numCachedBlocks() + " "
                + engine.work().decodeOnlySteps() + " " + engine.work().decodeTokens();
        return new Outcome(rows, e, engine.fastForwardedSteps(), engine.scheduler().preemptions());
    }
}
