/**
 * vLLM v1's paged KV cache with automatic prefix caching: {@link io.agentservesim.kv.BlockPool} (block
 * allocation, chained-hash prefix lookup, LRU eviction through a free block queue) and
 * {@link io.agentservesim.kv.KvSequence} (one request's block table and memoized block hashes).
 * The rules follow {@code vllm/v1/core/block_pool.py}, {@code kv_cache_manager.py},
 * {@code single_type_kv_cache_manager.py} and {@code kv_cache_utils.py} of vLLM 0.19.
 */
package io.agentservesim.kv;
