package io.agentservesim.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RouterCountersTest {

    @Test
    void countsHitsBreaksAndColdPlacements() {
        var counters = new RouterCounters();
        counters.record(-1, 0); // cold
        counters.record(-1, 2); // cold
        counters.record(0, 0);  // hit
        counters.record(2, 2);  // hit
        counters.record(1, 1);  // hit
        counters.record(0, 3);  // break

        assertThat(counters.routes()).isEqualTo(6);
        assertThat(counters.coldPlacements()).isEqualTo(2);
        assertThat(counters.affinityHits()).isEqualTo(3);
        assertThat(counters.affinityBreaks()).isEqualTo(1);
    }

    @Test
    void affinityRouterRoutesCountAsExpected() {
        var counters = new RouterCounters();
        Router router = new AffinityRouter(0.9);
        var calm = List.of(new FakeInstance(0, 0, 0, 0.5, 0), new FakeInstance(1, 0, 0, 0.5, 0));
        var hot = List.of(new FakeInstance(0, 0, 0, 0.1, 0), new FakeInstance(1, 0, 0, 0.95, 0));

        counters.record(-1, router.route(FakeInstance.turn(-1), calm)); // cold, to 0
        counters.record(1, router.route(FakeInstance.turn(1), calm));   // home 1 kept
        counters.record(1, router.route(FakeInstance.turn(1), hot));    // home 1 too hot, to 0

        assertThat(counters.coldPlacements()).isEqualTo(1);
        assertThat(counters.affinityHits()).isEqualTo(1);
        assertThat(counters.affinityBreaks()).isEqualTo(1);
    }
}
