package io.agentservesim.cluster;

import io.agentservesim.engine.ProgramHandle;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.program.Program;
import io.agentservesim.program.ReadinessCalculator;
import io.agentservesim.residency.GapStats;
import java.util.Arrays;

/**
 * Everything the orchestrator knows about one live program: which turns are done and when, which wait
 * on how many parents, the service it has attained, the gaps observed so far, and where its KV lives.
 * Dropped when the program's last turn finishes, so memory follows live programs.
 */
final class ProgramState implements ProgramHandle {
    final int denseId;
    final Program program;
    final long[] completionNs;
    final int[] pendingParents;
    final GapStats gaps = new GapStats();
    int turnsDone;
    long attainedServiceNs;
    /** The instance that ran the most recent turn (and may hold the program's KV), -1 before any. */
    int homeInstance = -1;
    /** P/D clusters: the prefill instance of the most recent turn (its prefix cache holds that prompt), -1 before any. */
    int prefillHome = -1;
    /** Tokens of the most recent finished turn's context (prompt + output): what a next turn can reuse. */
    int lastContextTokens;
    int preemptions;
    /** The KV sequence of the most recently submitted turn: the next turn carries its block hashes. */
    KvSequence lastKv;
    private final ClusterView cluster;

    /** What the program's residency looks like, for policies. */
    interface ClusterView {
        boolean isPinned(int instance, int programId);
    }

    ProgramState(int denseId, Program program, ClusterView cluster) {
        this.denseId = denseId;
        this.program = program;
        this.cluster = cluster;
        int n = program.turnCount();
        completionNs = new long[n];
        Arrays.fill(completionNs, ReadinessCalculator.NOT_COMPLETED);
        pendingParents = new int[n];
        for (int i = 0; i < n; i++) {
            pendingParents[i] = program.turn(i).parentCount();
        }
    }

    boolean done() {
        return turnsDone == program.turnCount();
    }

    @Override
    public int programId() {
        return denseId;
    }

    @Override
    public long programArrivalNs() {
        return program.arrivalNs();
    }

    @Override
    public long attainedServiceNs() {
        return attainedServiceNs;
    }

    @Override
    public boolean kvPinned() {
        return homeInstance >= 0 && cluster.isPinned(homeInstance, denseId);
    }
}
