package io.agentservesim.residency;

/** A hand-filled {@link RetentionContext}; the with-methods change one field of a base context. */
record FakeContext(long nowNs, int programId, String toolName, GapStats toolGaps, GapStats programGaps,
        int contextTokens, long kvBytes, double pressure, long runningKvBytes, boolean hasHostTier,
        long recomputeNs, long swapOutNs, long swapInNs) implements RetentionContext {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final long GB = 1_000_000_000L;

    /** At t = 100 s, program 7 calls "bash", 1 GB of KV, nothing observed yet, no host tier. */
    static FakeContext base() {
        return new FakeContext(100 * S, 7, "bash", new GapStats(), new GapStats(), 4096, GB, 0.0, GB, false,
                200 * MS, 0, 0);
    }

    static GapStats gaps(long... gapsNs) {
        GapStats g = new GapStats();
        for (long gap : gapsNs) {
            g.record(gap);
        }
        return g;
    }

    FakeContext done() {
        return new FakeContext(nowNs, programId, null, toolGaps, programGaps, contextTokens, kvBytes, pressure,
                runningKvBytes, hasHostTier, recomputeNs, swapOutNs, swapInNs);
    }

    FakeContext withToolGaps(GapStats g) {
        return new FakeContext(nowNs, programId, toolName, g, programGaps, contextTokens, kvBytes, pressure,
                runningKvBytes, hasHostTier, recomputeNs, swapOutNs, swapInNs);
    }

    FakeContext withProgramGaps(GapStats g) {
        return new FakeContext(nowNs, programId, toolName, toolGaps, g, contextTokens, kvBytes, pressure,
                runningKvBytes, hasHostTier, recomputeNs, swapOutNs, swapInNs);
    }

    FakeContext withPressure(double p) {
        return new FakeContext(nowNs, programId, toolName, toolGaps, programGaps, contextTokens, kvBytes, p,
                runningKvBytes, hasHostTier, recomputeNs, swapOutNs, swapInNs);
    }

    FakeContext withMemory(long kv, long running) {
        return new FakeContext(nowNs, programId, toolName, toolGaps, programGaps, contextTokens, kv, pressure,
                running, hasHostTier, recomputeNs, swapOutNs, swapInNs);
    }

    FakeContext withRecompute(long ns) {
        return new FakeContext(nowNs, programId, toolName, toolGaps, programGaps, contextTokens, kvBytes, pressure,
                runningKvBytes, hasHostTier, ns, swapOutNs, swapInNs);
    }

    FakeContext withHostTier(long outNs, long inNs) {
        return new FakeContext(nowNs, programId, toolName, toolGaps, programGaps, contextTokens, kvBytes, pressure,
                runningKvBytes, true, recomputeNs, outNs, inNs);
    }
}
