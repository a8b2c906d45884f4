package io.agentservesim.kv;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;

/**
 * The KV-cache state of one request: its block table, how many of its blocks are registered in the
 * prefix cache, and the source of its block hashes.
 *
 * <p>The block table mirrors {@code req_to_blocks} and the registered count mirrors
 * {@code num_cached_block} in {@code vllm/v1/core/single_type_kv_cache_manager.py}; both are reset
 * when the request's blocks are freed (finish or preemption). The block hashes mirror
 * {@code Request.block_hashes}: they survive a free, which is what lets a preempted request hit its
 * own blocks on readmission.
 *
 * <p>Hash source: block k is hashed from its token ids when the block lies entirely within the known
 * ids; any block that reaches past them (generated tokens, or every block when the ids are
 * {@code null}) is hashed from (parent hash, salt, k), which makes it unique to this request. Hashes
 * are computed lazily, once per block, into a {@code long[]} sized for the tokens the request is
 * expected to reach. A sequence is bound to the block size of the first pool that hashes it.
 *
 * <p>Carried hashes ({@link #carryHashesFrom}): the next turn of an agent program sends the previous
 * turn's context again plus new tokens. Since a block's hash commits to every token up to its end, the
 * new sequence takes the previous one's token-hashed blocks over the leading ids the two share (checked
 * with one vectorized array comparison, or none when both view the same array) and hashes only the rest:
 * the same values the chain would give, computed once per program instead of once per turn.
 *
 * <p>Block hints: when a pool frees the sequence it notes, for each registered block, the physical block
 * and that block's generation in the pool's index ({@link BlockPool#findCachedPrefixTokens} reads them back).
 * The next turn adopts them with the hashes, so its lookup checks one small per-block generation instead
 * of probing the hash index, the same answer: a hint only ever short-cuts a probe that would return it.
 */
public final class KvSequence {
    private static final long[] NO_HASHES = new long[0];

    private final int[] tokenIds;
    private final int knownTokens;
    private final long salt;
    private final int expectedTokens;
    private final IntArrayList blockTable = new IntArrayList();
    private int numRegisteredBlocks;
    private long[] blockHashes = NO_HASHES;
    private int numHashedBlocks;
    private int hashBlockSize;
    /** Sequence whose leading hashes this one adopts when first hashed; null once adopted or when none. */
    private KvSequence carry;
    /** Pool whose blocks {@link #hints} name, or null when there are none. */
    private BlockPool hintPool;
    /** Per block k &lt; {@link #numHints}: (index generation &lt;&lt; 32 | block id) in {@link #hintPool}, or -1. */
    private long[] hints = NO_HASHES;
    private int numHints;

    /**
     * @param promptTokenIds the prompt token ids, or {@code null} when only the prompt length is known;
     *                       the array is not copied and must not change afterwards
     * @param salt           per-request salt for blocks whose token ids are unknown; distinct requests
     *                       must use distinct salts
     */
    public KvSequence(int[] promptTokenIds, long salt) {
        this(promptTokenIds, promptTokenIds == null ? 0 : promptTokenIds.length, salt, 0);
    }

    /**
     * @param tokenIds       the known token ids in {@code tokenIds[0, knownTokens)}, or {@code null}; the
     *                       array is shared, not copied, and that range must not change afterwards
     * @param knownTokens    how many leading ids are known (0 when {@code tokenIds} is null)
     * @param salt           as above
     * @param expectedTokens tokens the request will reach (prompt + output), to size its arrays once;
     *                       0 when unknown (they then grow)
     */
    public KvSequence(int[] tokenIds, int knownTokens, long salt, int expectedTokens) {
        if (tokenIds == null ? knownTokens != 0 : knownTokens < 0 || knownTokens > tokenIds.length) {
            throw new IllegalArgumentException("known tokens " + knownTokens + " outside the ids given");
        }
        this.tokenIds = tokenIds;
        this.knownTokens = knownTokens;
        this.salt = salt;
        this.expectedTokens = Math.max(0, expectedTokens);
    }

    /**
     * Lets this sequence take over {@code previous}'s block hashes over the token ids both share, when it
     * is first hashed with the block size {@code previous} was hashed with. Changes no hash value, only
     * how many are computed. {@code previous} may be null.
     */
    public void carryHashesFrom(KvSequence previous) {
        if (numHashedBlocks > 0 || previous == null || tokenIds == null) {
            return;
        }
        // A sequence never hashed itself passes its own source on, so a chain of them holds one reference.
        carry = previous.hashBlockSize == 0 ? previous.carry : previous;
    }

    /** Number of blocks this sequence currently holds. */
    public int numBlocks() {
        return blockTable.size();
    }

    /** Physical block id at position {@code index} of the block table. */
    public int blockId(int index) {
        return blockTable.getInt(index);
    }

    /** Number of this sequence's blocks registered in the prefix cache (full blocks with a hash). */
    public int numRegisteredBlocks() {
        return numRegisteredBlocks;
    }

    /** Number of leading blocks whose hash has been computed (or carried) so far. */
    public int numHashedBlocks() {
        return numHashedBlocks;
    }

    /** Hash of block {@code index}, computing the chain up to it if needed; the block must be full. */
    long blockHash(int index, int blockSize) {
        if (index < numHashedBlocks) {
            return blockHashes[index];
        }
        bind(blockSize, index + 1);
        if (index < numHashedBlocks) {
            return blockHashes[index];
        }
        if (index >= blockHashes.length) {
            blockHashes = Arrays.copyOf(blockHashes, Math.max(index + 1, blockHashes.length * 2));
        }
        long parent = numHashedBlocks == 0 ? BlockHasher.ROOT_HASH : blockHashes[numHashedBlocks - 1];
        for (int k = numHashedBlocks; k <= index; k++) {
            int start = k * blockSize;
            long h = start + blockSize <= knownTokens
                ? BlockHasher.hashTokens(parent, tokenIds, start, blockSize)
                : BlockHasher.hashSynthetic(parent, salt, k);
            blockHashes[k] = h;
            parent = h;
        }
        numHashedBlocks = index + 1;
        return blockHashes[index];
    }

    /**
     * Binds this sequence to {@code blockSize} on first use (sizing its hash array for at least
     * {@code minBlocks} and adopting the carried sequence's hashes and hints); refuses another size later.
     */
    void bind(int blockSize, int minBlocks) {
        if (hashBlockSize == 0) {
            hashBlockSize = blockSize;
            blockHashes = new long[Math.max(minBlocks, expectedTokens / blockSize + 1)];
            adoptCarried();
        } else if (hashBlockSize != blockSize) {
            throw new IllegalArgumentException(
                "sequence hashed with block size " + hashBlockSize + ", asked for " + blockSize);
        }
    }

    /** The hint array when its hints name blocks of {@code pool}, else null; entries below {@link #numHints()}. */
    long[] hintsFor(BlockPool pool) {
        return hintPool == pool ? hints : null;
    }

    int numHints() {
        return numHints;
    }

    /** A hint array of at least {@code n} entries for {@code pool}, to be filled and then set with {@link #setNumHints}. */
    long[] hintArrayFor(BlockPool pool, int n) {
        if (hints.length < n) {
            hints = new long[Math.max(n, expectedTokens / Math.max(1, hashBlockSize) + 1)];
        }
        hintPool = pool;
        return hints;
    }

    void setNumHints(int n) {
        numHints = n;
    }

    /** Copies the carried sequence's token-hashed blocks over the shared leading ids, then forgets it. */
    private void adoptCarried() {
        KvSequence prev = carry;
        carry = null;
        if (prev == null || prev.hashBlockSize != hashBlockSize) {
            return;
        }
        int bs = hashBlockSize;
        int blocks = Math.min(prev.numHashedBlocks, Math.min(prev.knownTokens, knownTokens) / bs);
        int tokens = blocks * bs;
        if (blocks > 0 && prev.tokenIds != tokenIds) {
            int differ = Arrays.mismatch(prev.tokenIds, 0, tokens, tokenIds, 0, tokens);
            if (differ >= 0) {
                blocks = differ / bs;
            }
        }
        if (blocks > blockHashes.length) {
            blockHashes = new long[blocks];
        }
        System.arraycopy(prev.blockHashes, 0, blockHashes, 0, blocks);
        numHashedBlocks = blocks;
        int hinted = Math.min(blocks, prev.numHints);
        if (hinted > 0) {
            // Blocks past the shared ids hold other tokens than this sequence's: only the shared ones carry.
            System.arraycopy(prev.hints, 0, hintArrayFor(prev.hintPool, hinted), 0, hinted);
            numHints = hinted;
        }
    }

    /** Tokens the request is expected to reach (0: unknown), for sizing its block table. */
    int expectedTokens() {
        return expectedTokens;
    }

    IntArrayList table() {
        return blockTable;
    }

    void setNumRegisteredBlocks(int n) {
        numRegisteredBlocks = n;
    }
}
