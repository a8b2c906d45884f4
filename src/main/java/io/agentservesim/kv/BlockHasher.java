package io.agentservesim.kv;

/**
 * Chained 64-bit block hashes for prefix caching.
 *
 * <p>vLLM ({@code vllm/v1/core/kv_cache_utils.py}, {@code hash_block_tokens} and the request block
 * hasher) hashes every FULL block as {@code H(parent_hash, tokens_of_block, extra_keys)}, with a
 * fixed seed ({@code NONE_HASH}) as the parent of block 0, and never hashes a partial block. Because
 * each hash commits to its parent, equal hashes at block k mean equal token prefixes up to the end
 * of block k, so a single hash lookup per block finds the longest cached prefix.
 *
 * <p>Here H is not SHA-256 but a 64-bit chain of the splitmix64 finalizer (Stafford's "mix13"): each
 * token is spread by a golden-ratio multiply, xored into the running state, and the state is passed
 * through the finalizer, a bijection on 64-bit values with full avalanche. Two blocks are confused only
 * if their 64-bit values collide. The relevant event is a lookup meeting a DIFFERENT block that is
 * cached at that moment: with C cached blocks (at most the pool size, ~10^5–10^6) and L lookups in a
 * run (~10^9), the expected number of false hits is about L·C/2^64 &lt; 10^-4, which is negligible
 * for a simulator whose inputs are not adversarial.
 *
 * <p>Blocks whose tokens are not known to the simulator (generated tokens, or prompts given only as a
 * length) are hashed from (parent, per-request salt, block index) in a separate domain, so they can
 * only ever be hit by the same request (for example after a preemption), never by another one.
 */
final class BlockHasher {
    /** Parent hash of block 0; plays the role of vLLM's {@code NONE_HASH} seed. */
    static final long ROOT_HASH = 0x5DEECE66DL * 0x9E3779B97F4A7C15L;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long TOKEN_DOMAIN = 0x2545F4914F6CDD1DL;
    private static final long SYNTHETIC_DOMAIN = 0xD1B54A32D192ED03L;

    private BlockHasher() {
    }

    /** splitmix64 finalizer: a bijective avalanche mixer on 64-bit values. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Hash of the full block {@code tokens[from, from + blockSize)} chained on {@code parent}. */
    static long hashTokens(long parent, int[] tokens, int from, int blockSize) {
        long h = mix(parent ^ TOKEN_DOMAIN);
        int end = from + blockSize;
        for (int i = from; i < end; i++) {
            h = mix(h ^ ((tokens[i] + 1L) * GOLDEN));
        }
        return h;
    }

    /** Hash of block {@code blockIndex} of a request whose tokens there are unknown, unique to its salt. */
    static long hashSynthetic(long parent, long salt, int blockIndex) {
        long h = mix(parent ^ SYNTHETIC_DOMAIN);
        h = mix(h ^ salt);
        return mix(h ^ ((blockIndex + 1L) * GOLDEN));
    }
}
