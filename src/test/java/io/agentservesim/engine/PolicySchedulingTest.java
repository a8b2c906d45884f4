package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.sched.PinnedFirstPolicy;
import io.agentservesim.sched.PlasPolicy;
import io.agentservesim.sched.ProgramFcfsPolicy;
import io.agentservesim.sched.SchedulingPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent scheduling policies order the waiting queue and pick preemption victims as vLLM's priority policy. */
class PolicySchedulingTest {
    private record Program(int programId, long programArrivalNs, long attainedServiceNs, boolean kvPinned)
            implements ProgramHandle {
    }

    private int nextId;

    private Request turn(Program p, int prompt) {
        int id = nextId++;
        return new Request(id, 0, prompt, 50, new KvSequence(null, 500L + id), false, p);
    }

    private static List<Integer> order(Scheduler s, int budget) {
        StepPlan plan = new StepPlan();
        s.schedule(plan, 0);
        return order(plan);
    }

    private static List<Integer> order(StepPlan plan) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            ids.add(plan.request(i).id());
        }
        return ids;
    }

    private Scheduler scheduler(SchedulingPolicy policy, int maxSeqs, int blocks) {
        EngineConfig c = new EngineConfig(2048, maxSeqs, 4096, 16, blocks, true, true, 0, false, false, 0);
        return new Scheduler(c, new BlockPool(blocks, 16, true), policy);
    }

    @Test
    void plasAdmitsTheTurnOfTheProgramWithTheLeastAttainedServiceFirst() {
        Scheduler s = scheduler(new PlasPolicy(), 1, 100);
        s.addWaiting(turn(new Program(0, 0, 9_000, false), 32));  // long program, arrived first
        s.addWaiting(turn(new Program(1, 5, 100, false), 32));    // short program
        assertThat(order(s, 2048)).containsExactly(1);
    }

    @Test
    void programFcfsOrdersByProgramArrivalNotTurnArrival() {
        Scheduler s = scheduler(new ProgramFcfsPolicy(), 1, 100);
        s.addWaiting(turn(new Program(0, 700, 0, false), 32));
        s.addWaiting(turn(new Program(1, 100, 0, false), 32));
        assertThat(order(s, 2048)).containsExactly(1);
    }

    @Test
    void pinnedFirstPutsProgramsWithPinnedKvAhead() {
        Scheduler s = scheduler(new PinnedFirstPolicy(), 1, 100);
        s.addWaiting(turn(new Program(0, 0, 0, false), 32));
        s.addWaiting(turn(new Program(1, 50, 0, true), 32));
        assertThat(order(s, 2048)).containsExactly(1);
    }

    @Test
    void underPlasTheVictimIsTheRunningTurnWithTheMostAttainedServiceEvenIfAlreadyScheduled() {
        // 5 usable blocks; two 32-token turns take 2 blocks each; growing both needs a 6th block.
        Scheduler s = scheduler(new PlasPolicy(), 8, 6);
        Request heavy = turn(new Program(0, 0, 5_000, false), 32);
        Request light = turn(new Program(1, 0, 10, false), 32);
        StepPlan plan = new StepPlan();
        s.addWaiting(heavy);
        s.schedule(plan, 0); // heavy alone: running = [heavy]
        s.updateFromOutput(plan, 1, 0, (i, r) -> { });
        s.addWaiting(light);
        s.schedule(plan, 1); // heavy decodes (no new block), light admitted: running = [heavy, light]
        s.updateFromOutput(plan, 2, 0, (i, r) -> { });
        // Now heavy (3 blocks) is scheduled first without a new block; light's 33rd token needs a 3rd block
        // and none is free. The victim is heavy, the turn with the most attained service, although it sits
        // first in the running list and is already in this step: it is taken back out of the step.
        s.schedule(plan, 2);
        assertThat(heavy.status()).isEqualTo(Request.Status.PREEMPTED);
        assertThat(light.status()).isEqualTo(Request.Status.RUNNING);
        assertThat(order(plan)).containsExactly(light.id());
        assertThat(plan.totalTokens()).isEqualTo(1);
    }
}
