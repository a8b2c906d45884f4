package io.agentservesim.world;

/**
 * One world step: the agents that call the LLM in it (each at most once), each call's whole prompt length and
 * output length, and the invocation-distance hints published at its start.
 *
 * @param step 0-based index
 * @param agents calling agents, ascending
 * @param inputTokens prompt tokens of each call (the agent's context and the step's fresh tokens)
 * @param outputTokens output tokens of each call
 * @param hints the hints published at the step's start (calling agents at distance 0)
 */
public record WorldStep(int step, int[] agents, int[] inputTokens, int[] outputTokens, InvocationHints hints) {
    public WorldStep {
        if (agents.length != inputTokens.length || agents.length != outputTokens.length) {
            throw new IllegalArgumentException("step " + step + ": calls arrays differ in length");
        }
    }

    public int calls() {
        return agents.length;
    }
}
