package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.load;
import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoundRobinRouterTest {

    @Test
    void cyclesRegardlessOfProgramAndLoad() {
        Router router = new RoundRobinRouter();
        var instances = List.of(load(0, 9, 9), load(1, 0, 0), load(2, 5, 0));
        int[] chosen = new int[4];
        chosen[0] = router.route(turn(-1), instances);
        chosen[1] = router.route(turn(0), instances);
        chosen[2] = router.route(new TurnToRoute(3, 0, 2, null, 10), instances);
        chosen[3] = router.route(turn(1), instances);
        assertThat(chosen).containsExactly(0, 1, 2, 0);
    }
}
