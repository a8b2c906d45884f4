package io.agentservesim.program;

/**
 * When a turn may be submitted: a root turn at its program's arrival; any other turn at
 * {@code max over parents p of (completion(p) + delay(p))}, the fan-in barrier of LLMServingSim's DAG
 * workflows ({@code release = max(parent_completion + edge.delay_ns)}) and, for a chain, simply the
 * previous turn's completion plus its tool duration.
 */
public final class ReadinessCalculator {
    /** Marks a parent that has not completed yet in a completion-time array. */
    public static final long NOT_COMPLETED = Long.MIN_VALUE;

    private ReadinessCalculator() {
    }

    /**
     * The ready time of {@code turn}, given the completion times of all the program's turns indexed by
     * turn index; {@link #NOT_COMPLETED} for a parent that has not finished yet makes the result
     * {@link #NOT_COMPLETED} too.
     */
    public static long readyAtNs(Program program, Turn turn, long[] completionNsByTurn) {
        if (turn.isRoot()) {
            return program.arrivalNs();
        }
        long ready = Long.MIN_VALUE;
        for (int k = 0; k < turn.parentCount(); k++) {
            long done = completionNsByTurn[turn.parent(k)];
            if (done == NOT_COMPLETED) {
                return NOT_COMPLETED;
            }
            ready = Math.max(ready, Math.addExact(done, turn.parentDelayNs(k)));
        }
        return ready;
    }
}
