package io.agentservesim.program;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenIdsTest {
    private static final int[] CHAIN = {5, 6, 7, 8, 9, 10, 11};

    @Test
    void promptFollowedByItsSliceOutputIsAViewOfTheSharedArray() {
        TokenIds prompt = TokenIds.prefixOf(CHAIN, 4);
        TokenIds output = TokenIds.sliceOf(CHAIN, 4, 2);
        TokenIds context = prompt.followedBy(output);
        assertThat(context.length()).isEqualTo(6);
        assertThat(context.leadingArray()).isSameAs(CHAIN); // no copy: the first 6 entries are the context
        assertThat(context).isEqualTo(TokenIds.of(new int[] {5, 6, 7, 8, 9, 10}));
        assertThat(output.toArray()).containsExactly(9, 10);
        assertThat(output.get(1)).isEqualTo(10);
    }

    @Test
    void unrelatedOutputIsCopiedAfterThePrompt() {
        TokenIds prompt = TokenIds.prefixOf(CHAIN, 3);
        TokenIds output = TokenIds.of(new int[] {42, 43});
        TokenIds context = prompt.followedBy(output);
        assertThat(context.toArray()).containsExactly(5, 6, 7, 42, 43);
        assertThat(context.leadingArray()).isNotSameAs(CHAIN);
        assertThat(context.startsWith(prompt)).isTrue();
        assertThat(TokenIds.sliceOf(CHAIN, 1, 3).startsWith(TokenIds.of(new int[] {6, 7}))).isTrue();
        assertThat(TokenIds.sliceOf(CHAIN, 1, 3).hashCode()).isEqualTo(TokenIds.of(new int[] {6, 7, 8}).hashCode());
    }
}
