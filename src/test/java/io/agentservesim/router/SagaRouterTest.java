package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** SAGA's placement: the context holder below capacity_limit turns in flight, else the least KV utilisation. */
class SagaRouterTest {
    // in flight (waiting + running): 1, 5, 1; KV utilisation 0.2, 0.95, 0.1
    private static final List<FakeInstance> CLUSTER = List.of(
            new FakeInstance(0, 1, 0, 0.2, 0),
            new FakeInstance(1, 3, 2, 0.95, 0),
            new FakeInstance(2, 0, 1, 0.1, 0));

    @Test
    void followsTheContextHolderBelowTheCapacityLimitHoweverFullItsKv() {
        assertThat(new SagaRouter(6).route(turn(1), CLUSTER)).isEqualTo(1);
    }

    @Test
    void atTheCapacityLimitAndOnFirstContactTheLeastUtilisedInstanceTakesIt() {
        assertThat(new SagaRouter(5).route(turn(1), CLUSTER)).isEqualTo(2);
        assertThat(new SagaRouter(100).route(turn(-1), CLUSTER)).isEqualTo(2);
        // by KV utilisation, not vLLM's load score: instance 0 (score 4) loses to 2 (score 1) here either way,
        // so check a case where they disagree: 0 has less KV in use but a higher score
        List<FakeInstance> split = List.of(new FakeInstance(0, 2, 0, 0.1, 0), new FakeInstance(1, 0, 1, 0.5, 0));
        assertThat(new SagaRouter(100).route(turn(-1), split)).isZero();
        assertThat(Routers.create("saga", new RouterOptions(0, 0.9, 3)).name()).isEqualTo("saga");
    }
}
