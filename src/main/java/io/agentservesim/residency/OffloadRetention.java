package io.agentservesim.residency;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Offload at every turn end: the program's full blocks are copied to the host tier (their GPU copies
 * stay in the LRU prefix cache until evicted), and its next turn reads back from the host what the GPU
 * lost. This is vLLM's native KV offloading ({@code kv_offloading_backend: native}, the
 * OffloadingConnector), which stores every computed block in CPU memory; a program that is done is
 * released without a copy.
 *
 * <p>Three variants, by when the KV is read back: {@code offload} at the next turn's admission (vLLM's
 * asynchronous KV load); {@code offload-on-arrival} as soon as the next turn arrives, so the transfer
 * overlaps its queueing at the cost of holding GPU blocks while it waits; {@code offload-prefetch} before
 * the predicted return ({@link ReturnPrefetcher}: the transfer is timed to land when a quantile of the
 * tool's past gaps says the call returns, as agent-aware offloading prefetches what is due soon).
 */
public final class OffloadRetention implements RetentionPolicy {
    public static final String NAME = "offload";
    public static final String ON_ARRIVAL_NAME = "offload-on-arrival";
    public static final String PREFETCH_NAME = "offload-prefetch";

    /** When the offloaded KV is read back. */
    public enum ReadBack { AT_ADMISSION, ON_ARRIVAL, BEFORE_RETURN }

    /**
     * {@code kv.settings.offload-prefetch}: the quantile of the tool's past gaps taken as the predicted
     * return, and how much earlier than needed the transfer starts.
     */
    public record Settings(@JsonProperty("gap_quantile") double gapQuantile, @JsonProperty("margin_s") double marginS) {
        public static final Settings DEFAULTS = new Settings(0.5, 0.0);

        public Settings {
            if (!(gapQuantile > 0 && gapQuantile < 1)) {
                throw new IllegalArgumentException("gap_quantile: expected a share in (0, 1), got " + gapQuantile);
            }
            if (!(marginS >= 0) || Double.isInfinite(marginS)) {
                throw new IllegalArgumentException("margin_s: expected a number of seconds >= 0, got " + marginS);
            }
        }
    }

    private final ReadBack readBack;
    private final Settings settings;

    public OffloadRetention(ReadBack readBack, Settings settings) {
        this.readBack = readBack;
        this.settings = settings;
    }

    public OffloadRetention(ReadBack readBack) {
        this(readBack, Settings.DEFAULTS);
    }

    @Override
    public String name() {
        return switch (readBack) {
            case AT_ADMISSION -> NAME;
            case ON_ARRIVAL -> ON_ARRIVAL_NAME;
            case BEFORE_RETURN -> PREFETCH_NAME;
        };
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        return ctx.toolName() == null || !ctx.hasHostTier() ? RetentionDecision.RELEASE : RetentionDecision.OFFLOAD;
    }

    @Override
    public boolean prefetchOnArrival() {
        return readBack == ReadBack.ON_ARRIVAL;
    }

    ReadBack readBack() {
        return readBack;
    }

    Settings settings() {
        return settings;
    }

    @Override
    public boolean needsHostTier() {
        return true;
    }
}
