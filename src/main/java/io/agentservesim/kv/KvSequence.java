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
 * prompt ids; any block that reaches past them (generated tokens, or every block when the ids are
 * {@code null}) is hashed from (parent hash, salt, k), which makes it unique to this request. Hashes
 * are computed lazily, once per block, into a growable {@code long[]}. A sequence is bound to the block
 * size of the first pool that hashes it.
 */
public final class KvSequence {
    private final int[] promptTokenIds;
    private final long salt;
    private final IntArrayList blockTable = new IntArrayList();
    private int numRegisteredBlocks;
    private long[] blockHashes = new long[8];
    private int numHashedBlocks;
    private int hashBlockSize;

    /**
     * @param promptTokenIds the prompt token ids, or {@code null} when only the prompt length is known;
     *                       the array is not copied and must not change afterwards
     * @param salt           per-request salt for blocks whose token ids are unknown; distinct requests
     *                       must use distinct salts
     */
    public KvSequence(int[] promptTokenIds, long salt) {
        this.promptTokenIds = promptTokenIds;
        this.salt = salt;
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

    /** Number of leading blocks whose hash has been computed so far. */
    public int numHashedBlocks() {
        return numHashedBlocks;
    }

    /** Hash of block {@code index}, computing the chain up to it if needed; the block must be full. */
    long blockHash(int index, int blockSize) {
        if (index < numHashedBlocks) {
            return blockHashes[index];
        }
        if (hashBlockSize == 0) {
            hashBlockSize = blockSize;
        } else if (hashBlockSize != blockSize) {
            throw new IllegalArgumentException(
                "sequence hashed with block size " + hashBlockSize + ", asked for " + blockSize);
        }
        if (index >= blockHashes.length) {
            blockHashes = Arrays.copyOf(blockHashes, Math.max(index + 1, blockHashes.length * 2));
        }
        int knownTokens = promptTokenIds == null ? 0 : promptTokenIds.length;
        long parent = numHashedBlocks == 0 ? BlockHasher.ROOT_HASH : blockHashes[numHashedBlocks - 1];
        for (int k = numHashedBlocks; k <= index; k++) {
            int start = k * blockSize;
            long h = start + blockSize <= knownTokens
                ? BlockHasher.hashTokens(parent, promptTokenIds, start, blockSize)
                : BlockHasher.hashSynthetic(parent, salt, k);
            blockHashes[k] = h;
            parent = h;
        }
        numHashedBlocks = index + 1;
        return blockHashes[index];
    }

    IntArrayList table() {
        return blockTable;
    }

    void setNumRegisteredBlocks(int n) {
        numRegisteredBlocks = n;
    }
}
