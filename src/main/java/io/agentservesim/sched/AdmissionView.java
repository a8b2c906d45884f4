package io.agentservesim.sched;

import io.agentservesim.engine.Request;

/**
 * What an admission gate sees of its instance when it decides whether a waiting turn may be tried this step:
 * the queue and the KV pool as they stood when admission began (after the running requests took their
 * blocks), as the artifact's engine-side gate reads them once per scheduling tick. Tokens are blocks times
 * the block size.
 */
public interface AdmissionView {
    int numRunning();

    int numWaiting();

    /** Blocks in use (running, pinned) over usable blocks: vLLM's kv_cache_usage, cached free blocks not counted. */
    double kvUtilization();

    /** Free blocks holding no reusable prefix, in tokens. */
    int freeTokens();

    /** Free blocks holding a reusable prefix (evictable LRU), in tokens. */
    int evictableTokens();

    /** Prompt tokens of {@code r} the GPU prefix cache holds now (a live lookup, as vLLM's get_computed_blocks). */
    int cachedTokens(Request r);
}
