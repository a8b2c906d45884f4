package io.agentservesim.router;

import static io.agentservesim.router.FakeInstance.turn;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixAwareRouterTest {
    private final Router router = new PrefixAwareRouter();

    @Test
    void picksMostCachedTokensOverLoad() {
        var instances = List.of(
                new FakeInstance(0, 0, 0, 0, 16),
                new FakeInstance(1, 5, 5, 0, 512),   // busiest, but most cached
                new FakeInstance(2, 0, 1, 0, 256));
        assertThat(router.route(turn(1), instances)).isEqualTo(1);
    }

    @Test
    void tiesOnCacheGoToLowerLoadScore() {
        // cached 512, 512, 512; scores 4*2+0 = 8, 4*1+3 = 7, 4*0+9 = 9
        var instances = List.of(
                new FakeInstance(0, 2, 0, 0, 512),
                new FakeInstance(1, 1, 3, 0, 512),
                new FakeInstance(2, 0, 9, 0, 512));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }

    @Test
    void fullTiesGoToLowestIndex() {
        var instances = List.of(
                new FakeInstance(0, 1, 1, 0, 0),
                new FakeInstance(1, 0, 1, 0, 0),
                new FakeInstance(2, 0, 1, 0, 0));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }

    @Test
    void cacheBeyondThePromptDoesNotCount() {
        // the fake caps at the 1000-token prompt, so 1000 and 4000 tie; lower load wins
        var instances = List.of(
                new FakeInstance(0, 3, 0, 0, 4000),
                new FakeInstance(1, 0, 0, 0, 1000));
        assertThat(router.route(turn(-1), instances)).isEqualTo(1);
    }
}
