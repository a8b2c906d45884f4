package io.agentservesim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void dispatchesToTargetsInTimeOrderWithTiesByScheduleOrder() {
        Simulation sim = new Simulation();
        List<String> log = new ArrayList<>();
        int a = sim.register((now, p) -> log.add("a" + p + "@" + now));
        int b = sim.register((now, p) -> log.add("b" + p + "@" + now));
        sim.schedule(20, a, 1);
        sim.schedule(10, b, 2);
        sim.schedule(20, b, 3);
        sim.schedule(10, a, 4);
        sim.run();
        assertThat(log).containsExactly("b2@10", "a4@10", "a1@20", "b3@20");
        assertThat(sim.now()).isEqualTo(20);
        assertThat(sim.eventsProcessed()).isEqualTo(4);
    }

    @Test
    void refusesEventsInThePast() {
        Simulation sim = new Simulation();
        int[] id = new int[1];
        id[0] = sim.register((now, p) -> sim.schedule(now - 1, id[0], 0));
        sim.schedule(5, id[0], 0);
        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("before the clock");
    }
}
