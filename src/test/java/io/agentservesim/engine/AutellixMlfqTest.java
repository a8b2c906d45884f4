package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.sched.AutellixMlfqPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Autellix's MLFQ in the engine, by hand: two queues split at 1 s of attained service, quanta 10 ms and 1 s,
 * starvation ratio 2, waiting calls re-stamped every 100 ms.
 */
class AutellixMlfqTest {
    private record Program(int programId, long programArrivalNs, long attainedServiceNs, boolean kvPinned)
            implements ProgramHandle {
    }

    private static final long MS = 1_000_000L;
    private final AutellixMlfqPolicy mlfq = new AutellixMlfqPolicy(
            new AutellixMlfqPolicy.Settings(new double[] {1.0}, new double[] {0.01, 1.0}, 2.0, 0.1, false));
    private int nextId;

    private Request turn(long attainedNs, int prompt) {
        int id = nextId++;
        return new Request(id, 0, prompt, 500, new KvSequence(null, 700L + id), false,
                new Program(id, 0, attainedNs, false));
    }

    private static List<Integer> ids(StepPlan plan) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            ids.add(plan.request(i).id());
        }
        return ids;
    }

    @Test
    void aCallEntersItsProgramsQueue() {
        assertThat(mlfq.queueOf(0)).isZero();
        assertThat(mlfq.queueOf(999 * MS)).isZero();
        assertThat(mlfq.queueOf(1_000 * MS)).isEqualTo(1);
    }

    @Test
    void aCallPastItsQuantumIsDemotedYieldsToABetterQueueAndIsPromotedWhenItStarves() {
        // One sequence slot, so a waiting call finds no room unless a running one gives way.
        EngineConfig c = new EngineConfig(2048, 1, 4096, 16, 200, true, true, 0, false, false, 0);
        Scheduler s = new Scheduler(c, new BlockPool(200, 16, true), mlfq);
        Request a = turn(500 * MS, 32);   // its program has 0.5 s of service: queue 0
        StepPlan plan = new StepPlan();
        s.addWaiting(a, 0);
        s.schedule(plan, 0);
        assertThat(a.policyLevel()).isZero();
        // A 20 ms step spends a's 10 ms quantum: it moves to queue 1 with a 1 s quantum.
        s.stepLaunched(0, 20 * MS, new BatchShape());
        s.updateFromOutput(plan, 20 * MS, 0, (i, r) -> { });
        assertThat(a.policyLevel()).isEqualTo(1);
        assertThat(a.policyBudgetNs()).isEqualTo(1_000 * MS);
        // b (queue 0) arrives and finds no slot: a, in a worse queue, yields; b is admitted in the same step.
        Request b = turn(0, 32);
        s.addWaiting(b, 20 * MS);
        s.schedule(plan, 20 * MS);
        assertThat(a.status()).isEqualTo(Request.Status.PREEMPTED);
        assertThat(ids(plan)).containsExactly(b.id());
        // Re-stamps run at most every 100 ms (the first was at 0 ms). a's wait starts at the first one after its
        // yield (100 ms); served 0.5 s + 0 in queue 1, it starves once it has waited 2 x 0.5 s = 1 s: still in
        // queue 1 at the 1,090 ms re-stamp, promoted at the next one (1,200 ms).
        s.stepLaunched(40 * MS, 10 * MS, new BatchShape());
        s.stepLaunched(100 * MS, 10 * MS, new BatchShape());
        s.stepLaunched(1_090 * MS, 10 * MS, new BatchShape());
        assertThat(a.policyLevel()).isEqualTo(1);
        s.stepLaunched(1_200 * MS, 10 * MS, new BatchShape());
        assertThat(a.policyLevel()).isZero();
        assertThat(a.policyBudgetNs()).isEqualTo(10 * MS);
    }
}
