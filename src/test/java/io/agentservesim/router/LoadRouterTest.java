package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.load;
import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRouterTest {
    private final Router router = new LoadRouter();

    @Test
    void picksLeastFourWaitingPlusRunning() {
        // scores: 4*2+1 = 9, 4*0+8 = 8, 4*1+5 = 9
        var instances = List.of(load(0, 2, 1), load(1, 0, 8), load(2, 1, 5));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }

    @Test
    void waitingWeighsFourTimesRunning() {
        // one waiting (4) loses to three running (3)
        var instances = List.of(load(0, 1, 0), load(1, 0, 3));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }

    @Test
    void tiesGoToLowestIndex() {
        // scores: 9, 6, 6, 6
        var instances = List.of(load(0, 2, 1), load(1, 1, 2), load(2, 0, 6), load(3, 1, 2));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }

    @Test
    void ignoresHome() {
        var instances = List.of(load(0, 0, 0), load(1, 3, 3));
        assertThat(router.route(turn(1), instances)).isZero();
    }

    @Test
    void refusesNoInstances() {
        assertThatThrownBy(() -> router.route(turn(-1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
