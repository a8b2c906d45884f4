package io.agentservesim.engine;

import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;

/** Fixtures of the engine tests worked by hand: a step of 10 ms per sequence, one program, token ids. */
final class TenMsEngine {
    static final long MS = 1_000_000L;

    /** Every sequence in a step adds 10 ms, whatever its tokens. */
    static final StepTimeModel TEN_MS_PER_SEQUENCE = new StepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape batch) {
            return 10 * MS * batch.numSequences();
        }

        @Override
        public String source() {
            return "10ms per sequence";
        }
    };

    /** The program every turn of these tests belongs to. */
    static final ProgramHandle PROGRAM = new ProgramHandle() {
        @Override public int programId() { return 0; }
        @Override public long programArrivalNs() { return 0; }
        @Override public long attainedServiceNs() { return 0; }
        @Override public boolean kvPinned() { return false; }
    };

    private TenMsEngine() {
    }

    /** {@code count} token ids from {@code from} on. */
    static int[] ids(int from, int count) {
        int[] a = new int[count];
        for (int i = 0; i < count; i++) {
            a[i] = from + i;
        }
        return a;
    }
}
