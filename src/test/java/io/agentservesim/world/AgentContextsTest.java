package io.agentservesim.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * An agent's next prompt repeats its shared prefix, persona and earlier memory token for token (so prefix
 * caching reuses that KV), its observation is new, and agents with adapters do not share the shared prefix.
 */
class AgentContextsTest {
    /** 3 agents, shared prefix 8, personas 4, 5, 6 tokens, memory summarised above 20 tokens. */
    private static WorldSource source(Integer memoryMax) {
        return new WorldSource() {
            @Override public int agents() { return 3; }
            @Override public int sharedPrefixTokens() { return 8; }
            @Override public int personaTokens(int agent) { return 4 + agent; }
            @Override public Integer memoryMaxTokens() { return memoryMax; }
            @Override public boolean hasNext() { return false; }
            @Override public WorldStep next(AgentContexts contexts) { throw new UnsupportedOperationException(); }
            @Override public void close() { }
        };
    }

    private static int common(int[] a, int[] b) {
        int n = 0;
        while (n < Math.min(a.length, b.length) && a[n] == b[n]) {
            n++;
        }
        return n;
    }

    @Test
    void nextCallReusesSharedPrefixPersonaAndMemoryButNotTheObservation() {
        AgentContexts ctx = new AgentContexts(source(null), 1 << 30, 42, false);
        assertThat(ctx.contextTokens(1)).isEqualTo(8 + 5);
        int[] first = ctx.callIds(1, 13 + 7, 3);   // context 13, observation 7, output 3
        ctx.append(1, 3);
        assertThat(ctx.contextTokens(1)).isEqualTo(16);
        int[] second = ctx.callIds(1, 16 + 7, 3);
        // Shared prefix + persona (13) are common; the first call's observation and the second's memory differ.
        assertThat(common(first, second)).isEqualTo(13);
        // The second prompt's memory (positions 13..15) holds exactly the first call's output ids.
        assertThat(Arrays.copyOfRange(second, 13, 16)).containsExactly(Arrays.copyOfRange(first, 20, 23));
        ctx.append(1, 3);
        int[] third = ctx.callIds(1, 19 + 2, 1);
        assertThat(common(second, third)).isEqualTo(16); // shared + persona + the first output
        assertThat(ctx.calls(1)).isEqualTo(3);
    }

    @Test
    void theSharedPrefixIsSharedUnlessEachAgentHasItsOwnAdapter() {
        AgentContexts shared = new AgentContexts(source(null), 1 << 30, 42, false);
        assertThat(common(shared.callIds(0, 12, 1), shared.callIds(2, 14, 1))).isEqualTo(8);
        AgentContexts perAdapter = new AgentContexts(source(null), 1 << 30, 42, true);
        assertThat(common(perAdapter.callIds(0, 12, 1), perAdapter.callIds(2, 14, 1))).isZero();
    }

    @Test
    void aMemoryPastItsCapIsSummarisedToHalfAndItsKvIsNotReused() {
        AgentContexts ctx = new AgentContexts(source(20), 1 << 30, 42, false);
        int[] before = ctx.callIds(0, 12, 15);
        ctx.append(0, 15);
        assertThat(ctx.memoryTokens(0)).isEqualTo(15);
        int[] mid = ctx.callIds(0, 27, 10);
        ctx.append(0, 10);                         // 25 > 20: summarised to 10 fresh tokens
        assertThat(ctx.memoryTokens(0)).isEqualTo(10);
        int[] after = ctx.callIds(0, 22, 1);
        assertThat(common(mid, after)).isEqualTo(12); // shared + persona only
        assertThat(before.length).isEqualTo(27);
    }
}
