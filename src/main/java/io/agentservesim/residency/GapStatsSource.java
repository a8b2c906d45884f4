package io.agentservesim.residency;

/** The observed gaps the Program Orchestrator keeps, per tool across the cluster and per program. */
public interface GapStatsSource {
    GapStats toolGaps(String toolName);

    GapStats programGaps(int programId);
}
