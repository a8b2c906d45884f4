package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RandomRouterTest {
    private static final int SAMPLES = 30_000;

    @Test
    void sameSeedSameRoutes() {
        var instances = FakeInstance.idle(5);
        Router a = new RandomRouter(42);
        Router b = new RandomRouter(42);
        Router c = new RandomRouter(43);
        int[] ra = new int[100];
        int[] rb = new int[100];
        int[] rc = new int[100];
        for (int i = 0; i < 100; i++) {
            ra[i] = a.route(turn(-1), instances);
            rb[i] = b.route(turn(-1), instances);
            rc[i] = c.route(turn(-1), instances);
        }
        assertThat(ra).isEqualTo(rb);
        assertThat(ra).isNotEqualTo(rc);
    }

    @Test
    void roughlyUniform() {
        int n = 4;
        var instances = FakeInstance.idle(n);
        Router router = new RandomRouter(2024);
        int[] counts = new int[n];
        for (int i = 0; i < SAMPLES; i++) {
            counts[router.route(turn(-1), instances)]++;
        }
        // expected share 0.25, binomial sd ≈ 0.0025; allow 0.01 (4 sd)
        for (int count : counts) {
            assertThat((double) count / SAMPLES).isCloseTo(1.0 / n, within(0.01));
        }
    }
}
