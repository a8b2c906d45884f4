package io.agentservesim.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.lora.AdapterEviction;
import io.agentservesim.lora.AdapterPool;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.residency.Link;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Adapter-aware admission by hand-checkable times: every step 10 ms, an adapter of 5 MB over a 1 GB/s link with
 * no latency takes 5 ms, two adapter slots (max_loras = 2), each agent its own adapter, 32-token prompts and
 * 2 output tokens.
 */
class LoraAdmissionTest {
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

    private record Agent(int programId) implements ProgramHandle {
        @Override public long programArrivalNs() { return 0; }
        @Override public long attainedServiceNs() { return 0; }
        @Override public boolean kvPinned() { return false; }
    }

    private static final class Run {
        final Map<Integer, Request> done = new HashMap<>();
        EngineInstance engine;
        AdapterPool pool;
    }

    /** {@code agents} agents arriving at 0 ms, agent i with adapter {@code i % adapters}. */
    private static Run run(int agents, int adapters, int slots, int outputTokens) {
        Simulation sim = new Simulation();
        Run run = new Run();
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);
        run.engine = new EngineInstance(0, sim, config, TEN_MS, (i, r) -> run.done.put(r.id(), r), false);
        run.pool = new AdapterPool(slots, adapters, 5_000_000L, new Link("host", 1e9, 0), AdapterEviction.LRU);
        run.engine.scheduler().useAdapters(run.pool, p -> p % adapters);
        int feeder = sim.register((now, id) -> run.engine.submitTurn(id, now, 32, outputTokens,
                new KvSequence(null, 77L + id), new Agent(id), 0, null));
        for (int a = 0; a < agents; a++) {
            sim.schedule(0, feeder, a);
        }
        sim.run();
        return run;
    }

    @Test
    void anAdapterLoadDelaysExactlyTheTurnsThatNeedIt() {
        Run run = run(3, 3, 2, 2);
        Request a0 = run.done.get(0);
        Request a1 = run.done.get(1);
        Request a2 = run.done.get(2);
        // Adapter 0 lands at 5 ms (its turn is scheduled then), adapter 1 at 10 ms behind it on the link, while a
        // step runs until 15 ms; agent 2 finds both slots pinned and waits.
        assertThat(a0.firstScheduledNs()).isEqualTo(5 * MS);
        assertThat(a0.firstTokenNs()).isEqualTo(15 * MS);
        assertThat(a1.firstScheduledNs()).isEqualTo(15 * MS);
        assertThat(a1.firstTokenNs()).isEqualTo(25 * MS);
        // Agent 0 finishes at 25 ms: its slot is unpinned, adapter 2 takes it, loading 25-30 ms; scheduled at 35 ms.
        assertThat(a0.lastTokenNs()).isEqualTo(25 * MS);
        assertThat(a2.firstScheduledNs()).isEqualTo(35 * MS);
        assertThat(a2.firstTokenNs()).isEqualTo(45 * MS);
        assertThat(run.pool.loads()).isEqualTo(3);
        assertThat(run.pool.evictions()).isEqualTo(1);
        assertThat(run.engine.scheduler().maxBatchAdapters()).isEqualTo(2);
    }

    @Test
    void turnsSharingAResidentAdapterWaitForNoLoad() {
        // Two agents on one adapter: one 5 ms load for both. Each parked turn wakes by its own event at 5 ms; the
        // first launches a step at once, so the second joins the next step at 15 ms (as a KV load's turn does).
        Run run = run(2, 1, 2, 2);
        assertThat(run.done.get(0).firstScheduledNs()).isEqualTo(5 * MS);
        assertThat(run.done.get(1).firstScheduledNs()).isEqualTo(15 * MS);
        assertThat(run.pool.loads()).isEqualTo(1);
    }

    @Test
    void aBatchNeverHoldsMoreThanMaxLorasAdapters() {
        // 40 agents on 10 adapters with 3 slots: every turn completes, no batch ever holds more than 3 adapters,
        // and at least one batch holds 3 (the limit binds, it is not met by accident).
        Run run = run(40, 10, 3, 20);
        assertThat(run.done).hasSize(40);
        assertThat(run.engine.scheduler().maxBatchAdapters()).isEqualTo(3);
        assertThat(run.engine.scheduler().adapterWaits()).isPositive();
        assertThat(run.pool.pinnedAdapters()).isZero();
    }

    @Test
    void withASlotPerAdapterNoTurnWaitsForASlot() {
        Run run = run(3, 3, 3, 2);
        assertThat(run.done.get(2).firstScheduledNs()).isEqualTo(15 * MS); // 5, 10, 15 ms: the link serialises loads
        assertThat(run.engine.scheduler().adapterWaits()).isZero();
    }
}
