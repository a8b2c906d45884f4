package io.agentservesim.program;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessAndGraphTest {
    // 0 -> 1 (2 ms), 0 -> 2 (0), {1 (5 ms), 2 (1 ms)} -> 3
    private static final Program DIAMOND = new Program(0, "d", 1_000, List.of(
            Turn.root(0, 10, 1, null, null, "plan"),
            Turn.chained(1, 12, 1, null, null, null, 0, 2_000_000),
            Turn.chained(2, 12, 1, null, null, null, 0, 0),
            new Turn(3, 20, 1, null, null, null, new int[] {1, 2}, new long[] {5_000_000, 1_000_000}, -1)));

    @Test
    void aTurnIsReadyAtTheLatestParentCompletionPlusDelay() {
        long n = ReadinessCalculator.NOT_COMPLETED;
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(0), new long[] {n, n, n, n})).isEqualTo(1_000);
        long[] done = {3_000_000, 10_000_000, 20_000_000, n};
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(1), done)).isEqualTo(5_000_000);
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(2), done)).isEqualTo(3_000_000);
        // max(10 ms + 5 ms, 20 ms + 1 ms) = 21 ms
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(3), done)).isEqualTo(21_000_000);
        // max(30 ms + 5 ms, 20 ms + 1 ms) = 35 ms
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(3), new long[] {0, 30_000_000, 20_000_000, n}))
                .isEqualTo(35_000_000);
        assertThat(ReadinessCalculator.readyAtNs(DIAMOND, DIAMOND.turn(3), new long[] {0, n, 20_000_000, n}))
                .isEqualTo(ReadinessCalculator.NOT_COMPLETED);
    }

    @Test
    void topologicalOrderPutsParentsFirst() {
        Program reversed = new Program(1, "r", 0, List.of(
                Turn.chained(0, 3, 1, null, null, null, 2, 0),
                Turn.chained(1, 2, 1, null, null, null, 2, 0),
                Turn.root(2, 1, 1, null, null, null)));
        assertThat(reversed.topologicalOrder()).containsExactly(2, 0, 1);
        assertThat(DIAMOND.topologicalOrder()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void cyclesAndBadTurnsAreRejected() {
        List<Turn> cycle = List.of(
                Turn.chained(0, 1, 1, null, null, null, 2, 0),
                Turn.chained(1, 1, 1, null, null, null, 0, 0),
                Turn.chained(2, 1, 1, null, null, null, 1, 0));
        assertThat(TurnGraph.findCycle(cycle)).containsExactly(0, 2, 1, 0);
        assertThatThrownBy(() -> new Program(0, "c", 0, cycle)).hasMessageContaining("dependency cycle: 0 -> 2 -> 1 -> 0");
        assertThatThrownBy(() -> new Program(0, "p", 0, List.of(Turn.chained(0, 1, 1, null, null, null, 4, 0))))
                .hasMessageContaining("parent index 4 does not exist");
        assertThatThrownBy(() -> new Program(0, "d", 0, List.of(Turn.root(0, 1, 1, null, null, null),
                Turn.chained(1, 1, 1, null, null, null, 0, -1)))).hasMessageContaining("expected a delay >= 0");
        assertThatThrownBy(() -> new Program(0, "t", 0, List.of(Turn.root(0, 0, 1, null, null, null))))
                .hasMessageContaining("expected input tokens >= 1");
    }
}
