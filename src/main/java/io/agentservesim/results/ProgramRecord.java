package io.agentservesim.results;

/** The outcome of one program: arrival, end (last turn's last token), job completion time, turns run. */
public record ProgramRecord(int programId, String name, long arrivalNs, long endNs, int turns, boolean rejected) {
    public long jctNs() {
        return endNs - arrivalNs;
    }
}
