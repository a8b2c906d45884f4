package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.sched.GatePolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scheduling plane's admit and victim hooks as the {@code gate} policy uses them: a turn that cannot fit
 * while the pool is above 90 % is held for the step and keeps its place while a later turn that fits goes
 * ahead; an idle engine always tries its head; the victim is the running request cheapest to recompute.
 * Blocks hold 16 tokens; block 0 is the null block.
 */
class AdmissionGateTest {
    private record Program(int programId, long programArrivalNs, long attainedServiceNs, boolean kvPinned)
            implements ProgramHandle {
    }

    private static final long MS = 1_000_000L;
    private int nextId;
    private final List<Integer> held = new ArrayList<>();
    private final List<Integer> victims = new ArrayList<>();

    private Request turn(long programArrivalNs, int prompt) {
        int id = nextId++;
        return new Request(id, 0, prompt, 50, new KvSequence(null, 900L + id), false,
                new Program(id, programArrivalNs, 0, false));
    }

    private Scheduler gate(int blocks, BlockPool[] poolOut) {
        EngineConfig c = new EngineConfig(2048, 8, 4096, 16, blocks, true, true, 0, false, false, 0);
        BlockPool pool = new BlockPool(blocks, 16, true);
        poolOut[0] = pool;
        Scheduler s = new Scheduler(c, pool, new GatePolicy(GatePolicy.Settings.DEFAULTS));
        KvHooks stock = KvHooks.stock(pool);
        s.setKvHooks(new KvHooks() {
            @Override public void onFinished(Request r, long now) { stock.onFinished(r, now); }
            @Override public void beforeAdmission(Request r, long now) { }
            @Override public boolean reclaim(long now) { return false; }
            @Override public int externalHitTokens(Request r, int gpuHitTokens) { return 0; }
            @Override public long startLoad(Request r, int fromToken, int tokens, long now) { return now; }
            @Override public void onAdmitHeld(Request r, long now) { held.add(r.id()); }
            @Override public void onPreempted(Request r, long now) { victims.add(r.id()); }
        });
        return s;
    }

    private static List<Integer> ids(StepPlan plan) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            ids.add(plan.request(i).id());
        }
        return ids;
    }

    @Test
    void aTurnThatCannotFitAboveNinetyPercentIsHeldAndATurnThatFitsGoesAhead() {
        BlockPool[] pool = new BlockPool[1];
        Scheduler s = gate(21, pool); // 20 usable blocks
        Request a = turn(0, 300);     // 19 blocks: the pool is 95 % used once it runs
        StepPlan plan = new StepPlan();
        s.addWaiting(a, 0);
        s.schedule(plan, 0);
        s.updateFromOutput(plan, 10 * MS, 0, (i, r) -> { });
        assertThat(pool[0].numUsedBlocks()).isEqualTo(19);
        // b: program arrived at 0 ms, 64-token prompt, priority 2^40 + 0 + 64; c: 100 ms, 8 tokens, 2^40 + 108.
        // b is first in order but needs 64 tokens against 16 free (1 block, none evictable): held. c fits.
        Request b = turn(0, 64);
        Request c = turn(100 * MS, 8);
        s.addWaiting(b, 10 * MS);
        s.addWaiting(c, 10 * MS);
        s.schedule(plan, 10 * MS);
        assertThat(ids(plan)).containsExactly(a.id(), c.id());
        assertThat(held).containsExactly(b.id());
        assertThat(s.numWaiting()).isEqualTo(1);
        assertThat(b.status()).isEqualTo(Request.Status.WAITING);
    }

    @Test
    void belowTheUtilisationThresholdNothingIsHeld() {
        BlockPool[] pool = new BlockPool[1];
        Scheduler s = gate(41, pool); // 40 usable: a's 19 blocks are 47.5 %
        Request a = turn(0, 300);
        StepPlan plan = new StepPlan();
        s.addWaiting(a, 0);
        s.schedule(plan, 0);
        s.updateFromOutput(plan, 10 * MS, 0, (i, r) -> { });
        Request b = turn(0, 64);
        s.addWaiting(b, 10 * MS);
        s.schedule(plan, 10 * MS);
        assertThat(ids(plan)).containsExactly(a.id(), b.id());
        assertThat(held).isEmpty();
    }

    @Test
    void anIdleEngineTriesItsHeadEvenWhenTheGateWouldHoldIt() {
        BlockPool[] pool = new BlockPool[1];
        Scheduler s = gate(21, pool);
        // 19 blocks held outside the running list (as a pin holds them): 95 % used, nothing running.
        KvSequence pinned = new KvSequence(null, 1L);
        assertThat(pool[0].allocateSlots(pinned, 0, 0, 300)).isTrue();
        Request b = turn(0, 64);
        Request c = turn(5 * MS, 64);
        s.addWaiting(b, 0);
        s.addWaiting(c, 0);
        StepPlan plan = new StepPlan();
        s.schedule(plan, 0);
        // Both would be held; the head is tried anyway (it does not fit either, so it waits, uncounted),
        // and only c counts as held.
        assertThat(plan.size()).isZero();
        assertThat(held).containsExactly(c.id());
        assertThat(s.numWaiting()).isEqualTo(2);
        // Once the blocks are free, the head goes first: it kept its place.
        pool[0].free(pinned);
        s.schedule(plan, 1);
        assertThat(ids(plan)).containsExactly(b.id(), c.id());
    }

    @Test
    void theVictimIsTheRunningRequestCheapestToRecompute() {
        BlockPool[] pool = new BlockPool[1];
        Scheduler s = gate(16, pool); // 15 usable blocks
        Request big = turn(0, 200);   // 13 blocks (208 slots)
        Request small = turn(0, 32);  // 2 blocks, full: its next token needs a 3rd
        StepPlan plan = new StepPlan();
        s.addWaiting(big, 0);
        s.addWaiting(small, 0);
        s.schedule(plan, 0);
        s.updateFromOutput(plan, 10 * MS, 0, (i, r) -> { });
        assertThat(pool[0].numFreeBlocks()).isZero();
        // small (key 2^40 + 32) was admitted before big (2^40 + 200), so it is scheduled first and its 33rd token
        // finds no block. vLLM's priority rule would preempt big (the largest key); the gate preempts small, 33
        // tokens to recompute against big's 201. The victim being the request in hand, the step's scheduling of
        // running requests stops there (vLLM's rule), and big decodes in the next step.
        s.schedule(plan, 10 * MS);
        assertThat(victims).containsExactly(small.id());
        assertThat(small.status()).isEqualTo(Request.Status.PREEMPTED);
        assertThat(big.status()).isEqualTo(Request.Status.RUNNING);
        assertThat(plan.size()).isZero();
        s.schedule(plan, 20 * MS);
        assertThat(ids(plan)).containsExactly(big.id());
    }
}
