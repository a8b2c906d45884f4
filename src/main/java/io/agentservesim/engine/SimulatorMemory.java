package io.agentservesim.engine;

import java.util.Locale;

/**
 * What the simulator itself must allocate for a configured size, checked before the allocation so that a
 * size the heap cannot hold ({@code engine.num_gpu_blocks: 2147483647}, {@code estimate --concurrency
 * 100000000}) is a one-line error naming the setting and the limit instead of an OutOfMemoryError.
 *
 * <p>Budget: half of {@link Runtime#maxMemory()} (bin/asim's heap policy gives at most 2 GiB unless
 * ASIM_JAVA_OPTS raises -Xmx), the other half left to the requests, turns and results of the run.
 */
public final class SimulatorMemory {
    /**
     * Heap bytes per KV block of a pool: the 32-byte record ({@code BlockRecords}), up to 2.67 hash-table
     * cells of 16 bytes at its 3/4 load factor ({@code HashToBlockTable}) and a 4-byte lookup slot.
     */
    public static final long BYTES_PER_BLOCK = 32 + 43 + 4;

    /** Block records are one int array of 8 ints per block, indexed by int. */
    public static final long MAX_BLOCKS = Integer.MAX_VALUE / 8 - 1;

    /**
     * Heap bytes per request alive at once, before its KV block list: the request, its spec, its queue
     * entry and its latency record (an upper bound of their object sizes with headers).
     */
    public static final long BYTES_PER_LIVE_REQUEST = 1024;

    private SimulatorMemory() {
    }

    /** The heap the simulator may plan to fill with sized structures. */
    public static long budgetBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** Null when {@code pools} pools of {@code blocks} blocks fit, else why not (the limit included). */
    public static String blocksProblem(long blocks, int pools) {
        long limit = Math.min(MAX_BLOCKS, budgetBytes() / (BYTES_PER_BLOCK * Math.max(1, pools)));
        if (blocks <= limit) {
            return null;
        }
        return String.format(Locale.ROOT, "%d KV blocks%s exceed the simulator's limit of %d blocks (%s; raise -Xmx with"
                        + " ASIM_JAVA_OPTS, or give fewer blocks)", blocks, pools > 1 ? " on each of " + pools + " pools" : "",
                limit, limit == MAX_BLOCKS ? "its block index is int-addressed" : heapText());
    }

    /** Null when {@code requests} requests of {@code tokens} tokens each fit alive at once, else why not. */
    public static String liveRequestsProblem(long requests, long tokens, int blockSize) {
        long perRequest = BYTES_PER_LIVE_REQUEST + 4 * ((tokens + blockSize - 1) / Math.max(1, blockSize));
        long limit = budgetBytes() / perRequest;
        if (requests <= limit) {
            return null;
        }
        return String.format(Locale.ROOT, "%d requests alive at once exceed the simulator's limit of %d (%s; raise -Xmx"
                + " with ASIM_JAVA_OPTS)", requests, limit, heapText());
    }

    private static String heapText() {
        return String.format(Locale.ROOT, "half of the %.1f GiB Java heap", Runtime.getRuntime().maxMemory() / (double) (1L << 30));
    }
}
