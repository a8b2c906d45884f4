package io.agentservesim.results;

/** Receives a run's results as they happen: the summary and the table writers subscribe. */
public interface RunListener {
    void onTurn(TurnRecord turn);

    void onProgram(ProgramRecord program);
}
