package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AffinityRouterTest {
    // scores 4*1+0 = 4, 4*3+2 = 14, 4*0+1 = 1: instance 2 is least loaded
    private static List<FakeInstance> cluster(double homePressure) {
        return List.of(
                new FakeInstance(0, 1, 0, 0.2, 0),
                new FakeInstance(1, 3, 2, homePressure, 0),
                new FakeInstance(2, 0, 1, 0.1, 0));
    }

    @Test
    void staysHomeAtOrBelowLimitEvenWhenLoaded() {
        Router router = new AffinityRouter(0.9);
        assertThat(router.route(turn(1), cluster(0.5))).isEqualTo(1);
        assertThat(router.route(turn(1), cluster(0.9))).isEqualTo(1);
    }

    @Test
    void leavesHomeForLeastLoadedAboveLimit() {
        Router router = new AffinityRouter(0.9);
        assertThat(router.route(turn(1), cluster(0.91))).isEqualTo(2);
    }

    @Test
    void firstTurnGoesLeastLoaded() {
        Router router = new AffinityRouter();
        assertThat(router.route(turn(-1), cluster(0.0))).isEqualTo(2);
    }

    @Test
    void limitIsAParameter() {
        Router strict = new AffinityRouter(0.4);
        assertThat(strict.route(turn(1), cluster(0.5))).isEqualTo(2);
        assertThat(new AffinityRouter().pressureLimit()).isEqualTo(0.9);
    }

    @Test
    void refusesLimitOutsideUnitInterval() {
        assertThatThrownBy(() -> new AffinityRouter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AffinityRouter(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
