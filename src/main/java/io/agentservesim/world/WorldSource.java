package io.agentservesim.world;

/**
 * The steps of a multi-agent simulation, in order, pulled one at a time: from a generator
 * ({@link PlanDrivenWorld}, {@link SpaceDrivenWorld}) or a trace ({@link WorldTraceReader}). A step's prompt
 * lengths are computed from the agents' contexts as they stand when the step is pulled, so the caller appends
 * each call's output to {@link AgentContexts} before pulling the next step.
 */
public interface WorldSource extends AutoCloseable {
    /** Agents in the simulation (ids 0 .. agents-1). */
    int agents();

    /** Tokens of the prefix every prompt starts with. */
    int sharedPrefixTokens();

    /** Tokens of agent {@code agent}'s persona. */
    int personaTokens(int agent);

    /** Memory above which an agent's memory is summarised, or null for none. */
    Integer memoryMaxTokens();

    boolean hasNext();

    /** The next step; {@code contexts} says how long each agent's context is now. */
    WorldStep next(AgentContexts contexts);

    @Override
    void close();
}
