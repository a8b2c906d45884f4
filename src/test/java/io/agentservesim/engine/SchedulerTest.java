package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kv.BlockPool;
import io.agentservesim.kv.KvSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The vLLM v1 scheduling rules of {@link Scheduler}, on hand-sized pools and budgets. */
class SchedulerTest {
    private static final int BS = 16;

    private static EngineConfig config(int budget, int maxSeqs, int blocks, boolean chunked, boolean reserveFullIsl) {
        return new EngineConfig(budget, maxSeqs, chunked ? 4096 : budget, BS, blocks, true, chunked, 0,
                reserveFullIsl, false, 0);
    }

    private int nextId;

    private Request request(int prompt, int output, int[] ids) {
        int id = nextId++;
        return new Request(id, 0, prompt, output, new KvSequence(ids, 1000L + id), false);
    }

    private Request request(int prompt, int output) {
        return request(prompt, output, null);
    }

    private static List<String> plan(StepPlan p) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < p.size(); i++) {
            out.add(p.request(i).id() + ":" + p.tokens(i));
        }
        return out;
    }

    private static final RequestListener IGNORE = (inst, r) -> { };

    @Test
    void tokenBudgetCutsTheLastAdmittedPromptIntoAChunkAndStopsAdmission() {
        Scheduler s = new Scheduler(config(150, 8, 100, true, true), new BlockPool(100, BS, true));
        Request a = request(100, 5), b = request(100, 5), c = request(100, 5);
        s.addWaiting(a);
        s.addWaiting(b);
        s.addWaiting(c);
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        assertThat(plan(p)).containsExactly("0:100", "1:50");
        assertThat(p.totalTokens()).isEqualTo(150);
        assertThat(s.numRunning()).isEqualTo(2);
        assertThat(s.numWaiting()).isEqualTo(1);
    }

    @Test
    void maxNumSeqsCapsTheRunningList() {
        Scheduler s = new Scheduler(config(2048, 2, 100, true, true), new BlockPool(100, BS, true));
        for (int i = 0; i < 3; i++) {
            s.addWaiting(request(10, 5));
        }
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        assertThat(plan(p)).containsExactly("0:10", "1:10");
        assertThat(s.numWaiting()).isEqualTo(1);
    }

    @Test
    void runningRequestsAreServedFirstThenTheNextChunkThenADecode() {
        Scheduler s = new Scheduler(config(128, 8, 100, true, true), new BlockPool(100, BS, true));
        Request a = request(300, 2);
        s.addWaiting(a);
        StepPlan p = new StepPlan();
        List<String> steps = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            s.schedule(p, step);
            steps.add(String.join(",", plan(p)) + (p.samples(0) ? " sample" : ""));
            s.updateFromOutput(p, step, 0, IGNORE);
        }
        // 300 = 128 + 128 + 44 (first token sampled), then one decode token ends the request.
        assertThat(steps).containsExactly("0:128", "0:128", "0:44 sample", "0:1 sample");
        assertThat(a.status()).isEqualTo(Request.Status.FINISHED);
        assertThat(a.outputTokens()).isEqualTo(2);
    }

    @Test
    void decodesGoBeforeANewPromptWhichGetsWhatIsLeftOfTheBudget() {
        Scheduler s = new Scheduler(config(100, 8, 100, true, true), new BlockPool(100, BS, true));
        Request a = request(20, 10);
        s.addWaiting(a);
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        s.updateFromOutput(p, 0, 0, IGNORE);
        s.addWaiting(request(200, 10));
        s.schedule(p, 1);
        assertThat(plan(p)).containsExactly("0:1", "1:99");
    }

    @Test
    void outOfBlocksPreemptsTheLatestAdmittedAndAdmitsNobodyThatStep() {
        // 5 usable blocks (6 minus vLLM's null block); two requests of 32 tokens take 2 blocks each.
        BlockPool pool = new BlockPool(6, BS, true);
        Scheduler s = new Scheduler(config(2048, 8, 6, true, false), pool);
        Request a = request(32, 100), b = request(32, 100);
        s.addWaiting(a);
        s.addWaiting(b);
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        s.updateFromOutput(p, 0, 0, IGNORE);
        assertThat(pool.numFreeBlocks()).isEqualTo(1);
        Request c = request(8, 5);
        s.addWaiting(c);
        // a's 33rd token needs a third block (the last free one); b's then needs one more: b, the latest
        // admitted, is preempted, and c is not admitted although budget and a free block remain.
        s.schedule(p, 1);
        assertThat(plan(p)).containsExactly("0:1");
        assertThat(b.status()).isEqualTo(Request.Status.PREEMPTED);
        assertThat(b.numComputedTokens()).isZero();
        assertThat(b.preemptions()).isEqualTo(1);
        assertThat(s.preemptions()).isEqualTo(1);
        assertThat(c.status()).isEqualTo(Request.Status.WAITING);
        assertThat(s.numWaiting()).isEqualTo(2);
        // Next step: b is at the head of the queue; its 33 tokens need 3 blocks (its 2 cached ones plus
        // one) but only 2 are free, so it waits, and c, behind it, is not let past it.
        s.updateFromOutput(p, 1, 0, IGNORE);
        s.schedule(p, 2);
        assertThat(plan(p)).containsExactly("0:1");
        assertThat(b.status()).isEqualTo(Request.Status.PREEMPTED);
        assertThat(c.status()).isEqualTo(Request.Status.WAITING);
    }

    @Test
    void reserveFullIslRefusesAPromptWhoseWholeSequenceDoesNotFit() {
        // 200-token prompt = 13 blocks; only 10 usable. Chunk budget 64 needs 4 blocks.
        Request withReserve = request(200, 1);
        Scheduler reserving = new Scheduler(config(64, 8, 11, true, true), new BlockPool(11, BS, true));
        reserving.addWaiting(withReserve);
        StepPlan p = new StepPlan();
        reserving.schedule(p, 0);
        assertThat(p.isEmpty()).isTrue();

        Scheduler chunkOnly = new Scheduler(config(64, 8, 11, true, false), new BlockPool(11, BS, true));
        chunkOnly.addWaiting(request(200, 1));
        chunkOnly.schedule(p, 0);
        assertThat(plan(p)).containsExactly("1:64");
    }

    @Test
    void withoutChunkedPrefillAPromptLargerThanTheRemainingBudgetWaits() {
        Scheduler s = new Scheduler(config(100, 8, 100, false, true), new BlockPool(100, BS, true));
        s.addWaiting(request(60, 5));
        s.addWaiting(request(60, 5));
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        assertThat(plan(p)).containsExactly("0:60");
    }

    @Test
    void prefixHitsShortenThePrefillButTheLastTokenIsAlwaysRecomputed() {
        BlockPool pool = new BlockPool(100, BS, true);
        Scheduler s = new Scheduler(config(2048, 8, 100, true, true), pool);
        int[] ids = IntStream.range(0, 64).toArray();
        Request first = request(64, 1, ids);
        s.addWaiting(first);
        StepPlan p = new StepPlan();
        s.schedule(p, 0);
        s.updateFromOutput(p, 0, 0, IGNORE);
        assertThat(first.status()).isEqualTo(Request.Status.FINISHED);

        Request second = request(64, 1, ids.clone());
        s.addWaiting(second);
        s.schedule(p, 1);
        // 63 tokens may hit -> 3 full blocks = 48 tokens; 16 are computed.
        assertThat(plan(p)).containsExactly("1:16");
        assertThat(second.prefixHitTokens()).isEqualTo(48);
        assertThat(s.prefixHitTokens()).isEqualTo(48);
    }

    @Test
    void asyncPlanningDoesNotScheduleARequestWhoseInFlightTokenIsItsLast() {
        Scheduler s = new Scheduler(config(2048, 8, 100, true, true), new BlockPool(100, BS, true));
        Request a = request(16, 1);
        s.addWaiting(a);
        StepPlan first = new StepPlan();
        StepPlan second = new StepPlan();
        s.schedule(first, 0);
        s.schedule(second, 0); // planned before the first step's output is back
        assertThat(second.isEmpty()).isTrue();
        s.updateFromOutput(first, 10, 0, IGNORE);
        assertThat(a.status()).isEqualTo(Request.Status.FINISHED);
        assertThat(a.firstTokenNs()).isEqualTo(10);
    }
}
