package io.agentservesim.residency;

import tools.jackson.databind.node.ObjectNode;

/**
 * One instance's record of its policies' decisions: a count, a token sum and a byte sum per
 * {@link Decision}, and, when the run writes decisions.csv, one row per decision to a {@link Sink}. Counting
 * allocates nothing; without a sink nothing else is done.
 */
public final class DecisionLog {
    /** Where decision rows go (decisions.csv), in the order they were made. */
    public interface Sink {
        void decision(long nowNs, int instance, int programId, Decision kind, long tokens, long bytes, long detailNs);
    }

    private static final Decision[] KINDS = Decision.values();
    private final int instance;
    private final Sink sink;
    private final long[] count = new long[KINDS.length];
    private final long[] tokens = new long[KINDS.length];
    private final long[] bytes = new long[KINDS.length];

    /** {@code sink} may be null (counters only). */
    public DecisionLog(int instance, Sink sink) {
        this.instance = instance;
        this.sink = sink;
    }

    /** Counters only, for tests and instances without an output folder. */
    public static DecisionLog countersOnly() {
        return new DecisionLog(0, null);
    }

    public void record(long nowNs, int programId, Decision kind, long tokenCount, long byteCount, long detailNs) {
        int k = kind.ordinal();
        count[k]++;
        tokens[k] += tokenCount;
        bytes[k] += byteCount;
        if (sink != null) {
            sink.decision(nowNs, instance, programId, kind, tokenCount, byteCount, detailNs);
        }
    }

    public long count(Decision kind) { return count[kind.ordinal()]; }
    public long tokens(Decision kind) { return tokens[kind.ordinal()]; }
    public long bytes(Decision kind) { return bytes[kind.ordinal()]; }

    /** Adds another instance's counters to these (cluster totals). */
    public void add(DecisionLog other) {
        for (int k = 0; k < KINDS.length; k++) {
            count[k] += other.count[k];
            tokens[k] += other.tokens[k];
            bytes[k] += other.bytes[k];
        }
    }

    /**
     * summary.json "decisions": per kind its count ({@link Decision#counterName}), and the token and byte sums that
     * mean something for it ({@code pin_kept_hit_tokens}: prompt tokens turns found cached when their pin held,
     * the recompute those pins saved at most; {@code pin_broken_tokens}: context the broken pins had held;
     * {@code victim_lost_tokens}: computed tokens preemption threw away).
     */
    public void writeTo(ObjectNode o) {
        for (Decision d : KINDS) {
            o.put(d.counterName(), count(d));
        }
        o.put("pin_kept_hit_tokens", tokens(Decision.PIN_KEPT));
        o.put("pin_broken_tokens", tokens(Decision.PIN_BROKEN));
        o.put("offload_bytes", bytes(Decision.OFFLOAD));
        o.put("restore_bytes", bytes(Decision.RESTORE));
        o.put("prefetch_bytes", bytes(Decision.PREFETCH));
        o.put("victim_lost_tokens", tokens(Decision.VICTIM));
    }
}
