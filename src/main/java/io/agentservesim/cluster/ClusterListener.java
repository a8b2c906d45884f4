package io.agentservesim.cluster;

/** Receives the orchestrator's results as they happen (writers and summaries subscribe). */
public interface ClusterListener {
    void onTurn(TurnRecord turn);

    void onProgram(ProgramRecord program);
}
