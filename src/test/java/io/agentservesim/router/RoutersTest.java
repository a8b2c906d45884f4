package io.agentservesim.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutersTest {

    @Test
    void everyNameCreatesARouterOfThatName() {
        assertThat(Routers.names()).containsExactly("load", "round-robin", "random", "affinity", "prefix-aware", "saga");
        for (String name : Routers.names()) {
            assertThat(Routers.create(name, RouterOptions.defaults()).name()).isEqualTo(name);
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> Routers.create("least-kv", RouterOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("least-kv")
                .hasMessageContaining("[load, round-robin, random, affinity, prefix-aware, saga]");
    }

    @Test
    void optionsReachTheRouters() {
        var affinity = (AffinityRouter) Routers.create("affinity", new RouterOptions(1, 0.75));
        assertThat(affinity.pressureLimit()).isEqualTo(0.75);

        var instances = FakeInstance.idle(8);
        Router a = Routers.create("random", new RouterOptions(99, 0.9));
        Router b = new RandomRouter(99);
        for (int i = 0; i < 50; i++) {
            assertThat(a.route(FakeInstance.turn(-1), instances)).isEqualTo(b.route(FakeInstance.turn(-1), instances));
        }
    }

    @Test
    void optionsRefuseBadPressureLimit() {
        assertThatThrownBy(() -> new RouterOptions(0, -0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
