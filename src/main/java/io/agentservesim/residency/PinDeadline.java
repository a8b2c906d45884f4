package io.agentservesim.residency;

/** Pin deadlines: now plus a duration in ns, saturating at Long.MAX_VALUE instead of overflowing. */
final class PinDeadline {
    private PinDeadline() {
    }

    static long after(long nowNs, double durationNs) {
        double d = Math.max(0, durationNs);
        if (d >= Long.MAX_VALUE - (double) nowNs) {
            return Long.MAX_VALUE;
        }
        return nowNs + (long) d;
    }

    static long requirePositive(long valueNs, String what) {
        if (valueNs <= 0) {
            throw new IllegalArgumentException(what + " must be > 0 ns, was " + valueNs);
        }
        return valueNs;
    }
}
