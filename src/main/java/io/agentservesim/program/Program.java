package io.agentservesim.program;

import java.util.List;

/**
 * One agent program (an LLMServingSim agentic session or DAG workflow): when it arrives and the LLM
 * calls it makes. The turns are validated on construction ({@link TurnGraph}): tokens >= 1, parents
 * exist, delays >= 0, no cycle. Root turns become ready at {@code arrivalNs}; every other turn when
 * {@link ReadinessCalculator} says so. Only live programs are held in memory: readers and generators
 * hand them out one at a time.
 *
 * @param id dense index in arrival order, 0-based
 * @param name the trace's session or workflow id (or a generated one)
 * @param arrivalNs arrival time in simulated nanoseconds
 * @param turns the LLM calls, turn i at position i
 */
public record Program(long id, String name, long arrivalNs, List<Turn> turns) {

    public Program {
        if (arrivalNs < 0) {
            throw new IllegalArgumentException("program " + name + ": arrival " + arrivalNs + " < 0");
        }
        turns = List.copyOf(turns);
        String problem = TurnGraph.problem(turns, Integer::toString);
        if (problem != null) {
            throw new IllegalArgumentException("program " + name + ": " + problem);
        }
    }

    public int turnCount() {
        return turns.size();
    }

    public Turn turn(int index) {
        return turns.get(index);
    }

    /** Whether every turn has at most one parent (an LLMServingSim {@code sub_requests} session). */
    public boolean isChain() {
        for (Turn t : turns) {
            if (t.parentCount() > 1) {
                return false;
            }
        }
        return true;
    }

    /** Turn indices with every turn after its parents; lowest index first among ready turns. */
    public int[] topologicalOrder() {
        return TurnGraph.topologicalOrder(turns);
    }
}
