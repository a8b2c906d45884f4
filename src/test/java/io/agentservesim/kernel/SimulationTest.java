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

    @Test
    void aTickerSeesTheClockEveryNthEventOnly() {
        Simulation sim = new Simulation();
        int[] id = new int[1];
        // A target that reschedules itself 10 ns later until t = 100: 10 events at 10, 20, ..., 100.
        id[0] = sim.register((now, p) -> {
            if (now < 100) {
                sim.schedule(now + 10, id[0], 0);
            }
        });
        sim.schedule(10, id[0], 0);
        List<Long> ticks = new ArrayList<>();
        sim.setTicker(ticks::add, 3);
        sim.run();
        assertThat(ticks).containsExactly(30L, 60L, 90L);
        assertThatThrownBy(() -> sim.setTicker(ticks::add, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
