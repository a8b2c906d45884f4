package io.agentservesim.program;

import java.util.Arrays;
import java.util.Objects;

/**
 * One LLM call of an agent program. {@code inputTokens} is the whole prompt the call sends, i.e. the
 * grown context (earlier turns, their outputs and tool results), as in LLMServingSim's
 * {@code sub_requests[i].input_toks}. The turn may start once every parent has finished and the delay
 * on that edge has elapsed; a chain has one parent per turn whose delay is the tool gap.
 *
 * <p>{@code toolName} is the tool this turn calls after it finishes (whose duration is the delay on
 * the edges to its children), or null when unknown. {@code retryOf} is the index of the turn whose
 * failed tool call this turn re-issues (see {@link io.agentservesim.tool.ToolSimulator}), or -1.
 *
 * @param index position in the program, 0-based
 * @param inputTokens prompt length, at least 1
 * @param outputTokens tokens to generate, at least 1
 * @param promptTokenIds prompt ids (length == inputTokens) or null when unknown
 * @param outputTokenIds generated ids (length == outputTokens) or null when unknown
 * @param toolName tool called after this turn, or null
 * @param parents indices of the turns this one waits for
 * @param parentDelayNs delay after each parent's completion, same length as parents, each >= 0
 * @param retryOf index of the turn whose tool call this one retries, or -1
 */
public record Turn(int index, int inputTokens, int outputTokens, TokenIds promptTokenIds, TokenIds outputTokenIds,
        String toolName, int[] parents, long[] parentDelayNs, int retryOf) {

    private static final int[] NO_PARENTS = new int[0];
    private static final long[] NO_DELAYS = new long[0];

    public Turn {
        Objects.requireNonNull(parents, "parents");
        Objects.requireNonNull(parentDelayNs, "parentDelayNs");
        if (parents.length != parentDelayNs.length) {
            throw new IllegalArgumentException("turn " + index + ": " + parents.length + " parents but "
                    + parentDelayNs.length + " delays");
        }
    }

    /** A root turn (no parents), not a retry. */
    public static Turn root(int index, int inputTokens, int outputTokens, TokenIds promptIds, TokenIds outputIds,
            String toolName) {
        return new Turn(index, inputTokens, outputTokens, promptIds, outputIds, toolName, NO_PARENTS, NO_DELAYS, -1);
    }

    /** A turn of a chain: one parent, reached after {@code gapNs}. */
    public static Turn chained(int index, int inputTokens, int outputTokens, TokenIds promptIds, TokenIds outputIds,
            String toolName, int parent, long gapNs) {
        return new Turn(index, inputTokens, outputTokens, promptIds, outputIds, toolName,
                new int[] {parent}, new long[] {gapNs}, -1);
    }

    public boolean isRoot() {
        return parents.length == 0;
    }

    public boolean isRetry() {
        return retryOf >= 0;
    }

    @Override
    public int[] parents() {
        return parents.clone();
    }

    @Override
    public long[] parentDelayNs() {
        return parentDelayNs.clone();
    }

    public int parentCount() {
        return parents.length;
    }

    public int parent(int i) {
        return parents[i];
    }

    public long parentDelayNs(int i) {
        return parentDelayNs[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Turn t && index == t.index && inputTokens == t.inputTokens
                && outputTokens == t.outputTokens && retryOf == t.retryOf
                && Objects.equals(promptTokenIds, t.promptTokenIds) && Objects.equals(outputTokenIds, t.outputTokenIds)
                && Objects.equals(toolName, t.toolName) && Arrays.equals(parents, t.parents)
                && Arrays.equals(parentDelayNs, t.parentDelayNs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, inputTokens, outputTokens, promptTokenIds, outputTokenIds, toolName,
                Arrays.hashCode(parents), Arrays.hashCode(parentDelayNs), retryOf);
    }

    @Override
    public String toString() {
        return "Turn[" + index + ", in=" + inputTokens + ", out=" + outputTokens + ", tool=" + toolName
                + ", parents=" + Arrays.toString(parents) + ", delaysNs=" + Arrays.toString(parentDelayNs)
                + (retryOf >= 0 ? ", retryOf=" + retryOf : "") + "]";
    }
}
