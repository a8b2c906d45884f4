package io.agentservesim.residency;

import io.agentservesim.kv.KvSequence;

/** KV held (PINNED) for a program in a tool gap on one instance, until its deadline, its next turn or pressure. */
final class Pin {
    final int programId;
    final KvSequence seq;
    final long deadlineNs;
    final int slot;
    /** Context tokens the pin holds (the turn's prompt plus output). */
    final int tokens;
    boolean active = true;

    Pin(int programId, KvSequence seq, long deadlineNs, int slot, int tokens) {
        this.tokens = tokens;
        this.programId = programId;
        this.seq = seq;
        this.deadlineNs = deadlineNs;
        this.slot = slot;
    }
}
