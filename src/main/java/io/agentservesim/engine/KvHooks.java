package io.agentservesim.engine;

import io.agentservesim.kv.BlockPool;

/**
 * Where the KV Residency Model plugs into the engine: what happens to a finished request's blocks, what
 * happens just before a waiting request is admitted, and how to free KV held outside running requests
 * when blocks run out. {@link #stock} is vLLM itself: free into the prefix cache, nothing else.
 */
public interface KvHooks {
    /** The request produced its last token; its blocks must be freed, pinned, evicted or offloaded. */
    void onFinished(Request request, long now);

    /** The request is about to take its prefix hits and be admitted. */
    void beforeAdmission(Request request, long now);

    /** Blocks ran out: release KV held for programs in tool gaps; true if anything was released. */
    boolean reclaim(long now);

    /**
     * Tokens after the first {@code gpuHitTokens} of the request's prompt that a slower tier holds (a
     * multiple of the block size; 0 without a tier).
     */
    int externalHitTokens(Request request, int gpuHitTokens);

    /** Starts loading {@code tokens} tokens' KV from the slower tier; returns when they are on the GPU. */
    long startLoad(Request request, int fromToken, int tokens, long now);

    /** Whether a turn's KV is read back from the slower tier when it arrives (prefetch) rather than at admission. */
    default boolean prefetchOnArrival() {
        return false;
    }

    /**
     * When the KV the arriving request will hit on the GPU is there: later than {@code now} while blocks
     * prefetched for it ahead of its arrival are still crossing the host link (it then waits for them).
     */
    default long kvReadyNs(Request request, long now) {
        return now;
    }

    /** The scheduling policy's admit hook held the waiting request for this step. */
    default void onAdmitHeld(Request request, long now) {
    }

    /** The request arrived at this instance and took its place in the waiting queue (its priority is stamped). */
    default void onArrival(Request request, long now) {
    }

    /** A step of {@code durationNs} with {@code batch} was launched at {@code now} (must not keep the batch). */
    default void onStepLaunched(long now, long durationNs, io.agentservesim.perf.BatchShape batch) {
    }

    /** The request is about to be preempted (its blocks freed, its computed tokens lost); it still holds them. */
    default void onPreempted(Request victim, long now) {
    }

    /**
     * Whether {@link #onStepLaunched} does anything: a decode fast-forward ({@link DecodeFastForward}) batches
     * steps only when it does not (conservative default: it does).
     */
    default boolean observesSteps() {
        return true;
    }

    static KvHooks stock(BlockPool pool) {
        return new KvHooks() {
            @Override
            public boolean observesSteps() {
                return false;
            }

            @Override
            public void onFinished(Request request, long now) {
                pool.free(request.kv);
            }

            @Override
            public void beforeAdmission(Request request, long now) {
            }

            @Override
            public boolean reclaim(long now) {
                return false;
            }

            @Override
            public int externalHitTokens(Request request, int gpuHitTokens) {
                return 0;
            }

            @Override
            public long startLoad(Request request, int fromToken, int tokens, long now) {
                return now;
            }
        };
    }
}
