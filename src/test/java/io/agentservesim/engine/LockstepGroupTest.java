package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.LockstepStepTimeModel;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.workload.RequestSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two data-parallel ranks whose every lockstep step takes 10 ms, checkable by hand: both ranks take every
 * step (an idle one runs dummies, and the wave runs on to 32 steps), and an arrival at an idle rank of a
 * busy group starts one step later than at a busy rank, because the idle rank's CPU planned one step further.
 */
class LockstepGroupTest {
    private static final long MS = 1_000_000L;
    private static final EngineConfig ASYNC = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, true, 0);
    private static final EngineConfig SYNC = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);

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

    /** Counts each step's busy ranks; every step takes 10 ms. */
    private static final class Recorder implements LockstepStepTimeModel {
        final List<Integer> busyRanks = new ArrayList<>();

        @Override
        public long stepTimeNs(BatchShape[] ranks) {
            int busy = 0;
            for (BatchShape b : ranks) {
                busy += b.isEmpty() ? 0 : 1;
            }
            busyRanks.add(busy);
            return 10 * MS;
        }

        @Override
        public String source() {
            return "recorder";
        }
    }

    private record Arrival(RequestSpec spec, int rank) {
    }

    private record Run(Map<Integer, Request> done, long[] rankSteps, long groupSteps, long endNs, Recorder model) {
    }

    private static Run group(EngineConfig config, Arrival... arrivals) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineInstance[] ranks = new EngineInstance[2];
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = new EngineInstance(i, sim, config, TEN_MS, (inst, r) -> done.put(r.id(), r), true);
        }
        Recorder model = new Recorder();
        LockstepGroup g = new LockstepGroup(sim, ranks, model);
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                ranks[arrivals[payload].rank()].submit(arrivals[payload].spec(), now);
            }
        });
        for (int i = 0; i < arrivals.length; i++) {
            sim.schedule(arrivals[i].spec().arrivalNs(), feeder, i);
        }
        sim.run();
        return new Run(done, new long[] {ranks[0].steps(), ranks[1].steps()}, g.steps(), sim.now(), model);
    }

    /** The same arrivals on one engine of its own, for comparison. */
    private static Map<Integer, Request> alone(EngineConfig config, RequestSpec... specs) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
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
    void bothRanksTakeEveryStepAndTheIdleOneRunsDummiesUntilTheWaveCheck() {
        Run run = group(ASYNC, new Arrival(new RequestSpec(0, 0, 32, 3, null), 0));
        Request r = run.done().get(0);
        // Prefill 0-10 ms (first token), decodes 10-20 and 20-30 ms: as on an engine of its own.
        assertThat(r.firstTokenNs()).isEqualTo(10 * MS);
        assertThat(r.lastTokenNs()).isEqualTo(30 * MS);
        assertThat(alone(ASYNC, new RequestSpec(0, 0, 32, 3, null)).get(0).lastTokenNs()).isEqualTo(30 * MS);
        // Three real steps, then dummies on both ranks until the wave's step count reaches 32 (vLLM checks
        // for unfinished requests across ranks every 32 steps): 32 steps of 10 ms, the run ends at 320 ms.
        assertThat(run.groupSteps()).isEqualTo(32);
        assertThat(run.rankSteps()).containsExactly(32, 32);
        assertThat(run.endNs()).isEqualTo(320 * MS);
        assertThat(run.model().busyRanks.subList(0, 3)).containsOnly(1);
        assertThat(run.model().busyRanks.subList(3, 32)).containsOnly(0);
    }

    @Test
    void anArrivalAtAnIdleRankOfABusyGroupStartsOneStepLaterThanAtTheBusyRank() {
        RequestSpec a = new RequestSpec(0, 0, 32, 100, null);
        RequestSpec b = new RequestSpec(1, 25 * MS, 32, 2, null);
        // b arrives during step 3 (20-30 ms). The busy rank planned step 4 at 20 ms, so it plans b into step 5
        // at 30 ms (40-50 ms): first token at 50 ms, as on an engine of its own.
        Request atBusy = group(ASYNC, new Arrival(a, 0), new Arrival(b, 0)).done().get(1);
        assertThat(atBusy.firstTokenNs()).isEqualTo(50 * MS);
        assertThat(alone(ASYNC, a, b).get(1).firstTokenNs()).isEqualTo(50 * MS);
        // The idle rank had launched its dummy for step 4 at 20 ms and planned step 5 then (still a dummy);
        // it plans b into step 6 at 30 ms (50-60 ms): first token at 60 ms, one step later.
        Run idle = group(ASYNC, new Arrival(a, 0), new Arrival(b, 1));
        assertThat(idle.done().get(1).firstTokenNs()).isEqualTo(60 * MS);
        assertThat(idle.done().get(1).lastTokenNs()).isEqualTo(70 * MS);
        // a is unaffected: 100 tokens, one per 10 ms step.
        assertThat(idle.done().get(0).lastTokenNs()).isEqualTo(1000 * MS);
        assertThat(idle.rankSteps()[0]).isEqualTo(idle.rankSteps()[1]).isEqualTo(idle.groupSteps());
    }

    @Test
    void withSynchronousSchedulingABusyRankPlansWhenItsStepEnds() {
        RequestSpec a = new RequestSpec(0, 0, 32, 100, null);
        RequestSpec b = new RequestSpec(1, 25 * MS, 32, 2, null);
        // Sync: the busy rank plans step 4 when step 3 ends at 30 ms, with b in it: first token at 40 ms.
        assertThat(group(SYNC, new Arrival(a, 0), new Arrival(b, 0)).done().get(1).firstTokenNs()).isEqualTo(40 * MS);
        assertThat(alone(SYNC, a, b).get(1).firstTokenNs()).isEqualTo(40 * MS);
        // The idle rank's CPU still runs ahead of the GPU: it planned step 4 (a dummy) at 20 ms and plans b
        // into step 5 at 30 ms: first token at 50 ms.
        assertThat(group(SYNC, new Arrival(a, 0), new Arrival(b, 1)).done().get(1).firstTokenNs()).isEqualTo(50 * MS);
    }

    @Test
    void anArrivalAfterTheWaveEndedStartsAtOnce() {
        // The first wave ends at 320 ms; a request at 500 ms finds the group idle and starts a new wave then.
        Run run = group(ASYNC, new Arrival(new RequestSpec(0, 0, 32, 3, null), 0),
                new Arrival(new RequestSpec(1, 500 * MS, 32, 2, null), 1));
        assertThat(run.done().get(1).firstTokenNs()).isEqualTo(510 * MS);
        assertThat(run.groupSteps()).isEqualTo(64);
        assertThat(run.endNs()).isEqualTo(820 * MS);
    }

    /**
     * Durations that depend on the ranks' batches: the slowest rank's own work (4 ms + 0.01 ms per token, a
     * dummy counting one token) plus 2 ms of MoE exchange that every rank pays, busy or not.
     */
    private static final LockstepStepTimeModel SLOWEST_PLUS_EXCHANGE = new LockstepStepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape[] ranks) {
            long slowest = 0;
            for (BatchShape b : ranks) {
                slowest = Math.max(slowest, 4 * MS + 10_000L * Math.max(1, b.totalTokens()));
            }
            return slowest + 2 * MS;
        }

        @Override
        public String source() {
            return "slowest+exchange";
        }
    };

    @Test
    void everyRankStartsAndEndsEveryStepAtTheSameTimes() {
        Simulation sim = new Simulation();
        EngineInstance[] ranks = new EngineInstance[2];
        List<List<long[]>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < ranks.length; i++) {
            ranks[i] = new EngineInstance(i, sim, ASYNC, TEN_MS, (inst, r) -> { }, true);
            ranks[i].setStepObserver((id, start, duration, batch) ->
                    seen.get(id).add(new long[] {start, start + duration, batch.totalTokens()}));
        }
        LockstepGroup g = new LockstepGroup(sim, ranks, SLOWEST_PLUS_EXCHANGE);
        // Rank 0 prefills 300 tokens and decodes 5; rank 1 gets a 100-token request later and 2 decodes.
        RequestSpec[] specs = {new RequestSpec(0, 0, 300, 6, null), new RequestSpec(1, 15 * MS, 100, 3, null)};
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                ranks[payload].submit(specs[payload], now);
            }
        });
        sim.schedule(0, feeder, 0);
        sim.schedule(15 * MS, feeder, 1);
        sim.run();
        List<long[]> r0 = seen.get(0);
        List<long[]> r1 = seen.get(1);
        assertThat(r0).hasSize((int) g.steps());
        assertThat(r1).hasSize((int) g.steps());
        for (int k = 0; k < r0.size(); k++) {
            assertThat(r1.get(k)[0]).as("start of step " + k).isEqualTo(r0.get(k)[0]);
            assertThat(r1.get(k)[1]).as("end of step " + k).isEqualTo(r0.get(k)[1]);
            if (k > 0) {
                assertThat(r0.get(k)[0]).as("step " + k + " starts when step " + (k - 1) + " ends")
                        .isEqualTo(r0.get(k - 1)[1]);
            }
        }
        // Step 0: rank 0's 300-token prefill, rank 1 idle (its dummy): 4 + 3 + 2 = 9 ms on both ranks.
        assertThat(r0.get(0)).containsExactly(0, 9 * MS, 300);
        assertThat(r1.get(0)).containsExactly(0, 9 * MS, 0);
        // A step in which both ranks only decode or idle costs 4.01 + 2 ms, the idle rank paying the exchange too.
        long[] last = r1.get(r1.size() - 1);
        assertThat(last[2]).isZero();
        assertThat(last[1] - last[0]).isEqualTo(6 * MS + 10_000L);
    }
}
