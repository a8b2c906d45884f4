package io.agentservesim.kv;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.function.IntToLongFunction;

/**
 * vLLM v1's paged KV block pool with automatic prefix caching, for one full-attention KV cache group.
 *
 * <p>The pool owns {@code numBlocks} blocks of {@code blockSize} token slots each. Following
 * {@code BlockPool.__init__} in {@code vllm/v1/core/block_pool.py}, block 0 is popped from the free
 * queue at construction as the "null block" (a placeholder that is never allocated or freed), so only
 * {@code numBlocks - 1} blocks are usable; {@code get_usage} there likewise divides by
 * {@code num_gpu_blocks - 1}.
 *
 * <p>Every usable block is either used (reference count &gt; 0, held by one or more sequences) or free
 * (reference count 0, sitting in the {@link FreeBlockQueue}). A free block may still be cached: it
 * keeps its hash and can be hit until allocation pops it from the queue head, which evicts it. The
 * rules, each from vLLM 0.19:
 * <ul>
 *   <li>Lookup ({@code KVCacheManager.get_computed_blocks} in {@code kv_cache_manager.py},
 *       {@code FullAttentionManager.find_longest_cache_hit} in
 *       {@code single_type_kv_cache_manager.py}): the longest run of leading block hashes present in
 *       the cache, over at most {@code (num_tokens - 1) / block_size} blocks, because the last token is
 *       always recomputed to produce logits. Zero when prefix caching is off.</li>
 *   <li>Admission cost ({@code SingleTypeKVCacheManager.get_num_blocks_to_allocate}):
 *       {@code max(ceil(tokens / block_size) - held - hits, 0)} new blocks, plus every hit block whose
 *       reference count is 0, because touching it takes it out of the free queue. The allocation is
 *       refused, with no state change, when this exceeds the free count
 *       ({@code KVCacheManager.allocate_slots}).</li>
 *   <li>Allocation ({@code BlockPool.touch}, {@code get_new_blocks}, {@code cache_full_blocks}): hits
 *       are touched (ref+1, unlinked from the free queue if ref was 0), new blocks are popped from the
 *       queue head (evicting their old hash), and every block that became full is registered under its
 *       chained hash. Identical blocks are not de-duplicated.</li>
 *   <li>Free ({@code SingleTypeKVCacheManager.free}, {@code BlockPool.free_blocks}): the block table
 *       is released in reverse order; blocks reaching ref 0 that carry a hash are appended at the queue
 *       tail (tail blocks of the request first, so they are evicted first), while blocks without a
 *       hash (a request's partial last block, or every block when caching is off) are put at the queue
 *       head, to be reused before any cached block is evicted.</li>
 * </ul>
 * Speculative decoding, sliding windows, KV connectors and multiple KV cache groups are not modelled.
 */
public final class BlockPool {
    /** Block id reserved as vLLM's null block. */
    static final int NULL_BLOCK = 0;

    private final int numBlocks;
    private final int blockSize;
    private final boolean enablePrefixCaching;
    /** Reference count, free-queue links, cached flag, hash and index generation of each block (one record each). */
    private final BlockRecords records;
    private final FreeBlockQueue freeQueue;
    private final CachedBlockIndex index;

    private int numUsed;
    private int numCached;
    /** Blocks in the free queue that carry a hash (kept as blocks move, for the time-series sampler). */
    private int numCachedFree;
    /**
     * The hit blocks the last {@link #findCachedPrefixTokens} found, for {@link #lookupSeq}: valid while the
     * hash index has not changed since ({@link #lookupVersion}), so the admission that follows (blocks to
     * allocate, then allocation) reads them instead of probing the index again block by block.
     */
    private int[] lookupBlocks = new int[0];
    /** Scratch of {@link #reorderFreeQueue}: group offsets, and the queue in its new order. */
    private int[] reorderStart = new int[0];
    private int[] reorderOrder = new int[0];
    private KvSequence lookupSeq;
    private int lookupHits;
    private long lookupVersion = -1;
    private long evictions;
    private long hitBlocks;
    private long allocatedBlocks;

    /**
     * @param numBlocks           blocks in the pool ({@code num_gpu_blocks}), block 0 included
     * @param blockSize           token slots per block
     * @param enablePrefixCaching whether full blocks are cached and can be hit
     */
    public BlockPool(int numBlocks, int blockSize, boolean enablePrefixCaching) {
        if (numBlocks < 1) {
            throw new IllegalArgumentException("numBlocks must be >= 1, got " + numBlocks);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.enablePrefixCaching = enablePrefixCaching;
        records = new BlockRecords(numBlocks + 1); // the last record is the free queue's sentinel
        freeQueue = new FreeBlockQueue(records, numBlocks);
        index = new CachedBlockIndex(numBlocks, records);
        // All blocks start free in id order; block 0 is then taken out as the null block.
        for (int b = NULL_BLOCK + 1; b < numBlocks; b++) {
            freeQueue.append(b);
        }
    }

    /**
     * Tokens of {@code seq} that hit the prefix cache: a multiple of the block size, at most
     * {@code numTokens - 1}. Changes no pool state (it may compute and memoize the sequence's hashes).
     *
     * @param numTokens the sequence's current token count (prompt plus generated tokens)
     */
    public int findCachedPrefixTokens(KvSequence seq, int numTokens) {
        if (!enablePrefixCaching || numTokens <= 1) {
            return 0;
        }
        int maxBlocks = (numTokens - 1) / blockSize;
        if (lookupBlocks.length < maxBlocks) {
            lookupBlocks = new int[Math.max(maxBlocks, Math.min(numBlocks, 2 * lookupBlocks.length))];
        }
        int[] found = lookupBlocks;
        seq.bind(blockSize, maxBlocks);
        long[] hints = seq.hintsFor(this);
        int hinted = hints == null ? 0 : Math.min(seq.numHints(), maxBlocks);
        int k = 0;
        // Hinted blocks (where this sequence, or the turn it carries from, left them) whose generation is
        // unchanged are what the index would return; any other is probed by hash.
        while (k < hinted) {
            long hint = hints[k];
            int b = (int) hint;
            if (hint < 0 || index.generation(b) != (int) (hint >>> 32)) {
                break;
            }
            found[k++] = b;
        }
        while (k < maxBlocks) {
            int b = index.get(seq.blockHash(k, blockSize));
            if (b < 0) {
                break;
            }
            found[k++] = b;
        }
        lookupSeq = seq;
        lookupHits = k;
        lookupVersion = index.version();
        return k * blockSize;
    }

    /**
     * Free blocks that {@link #allocateSlots} with the same arguments would consume: new blocks plus
     * hit blocks currently in the free queue.
     */
    public int blocksToAllocate(KvSequence seq, int hitTokens, int computedTokens, int newTokens) {
        validate(seq, hitTokens, computedTokens, newTokens);
        int hits = hitTokens / blockSize;
        int required = ceilDiv(computedTokens + hitTokens + newTokens);
        int needed = Math.max(required - seq.numBlocks() - hits, 0);
        for (int k = 0; k < hits; k++) {
            if (records.ref(cachedBlockOf(seq, k)) == 0) {
                needed++;
            }
        }
        return needed;
    }

    /**
     * Gives {@code seq} slots for {@code computedTokens + hitTokens + newTokens} tokens, taking the hit
     * blocks from the cache first; returns {@code false} and changes nothing when the free blocks do
     * not suffice.
     *
     * @param hitTokens      tokens found by {@link #findCachedPrefixTokens} just before; non-zero only
     *                       when the sequence holds no blocks
     * @param computedTokens tokens already computed for the sequence before this call, hits excluded
     * @param newTokens      tokens to be computed in this step (&gt; 0)
     */
    public boolean allocateSlots(KvSequence seq, int hitTokens, int computedTokens, int newTokens) {
        int needed = blocksToAllocate(seq, hitTokens, computedTokens, newTokens);
        if (needed > freeQueue.size()) {
            return false;
        }
        IntArrayList table = seq.table();
        if (table.isEmpty() && seq.expectedTokens() > 0) {
            table.ensureCapacity(ceilDiv(seq.expectedTokens()));
        }
        int hits = hitTokens / blockSize;
        for (int k = 0; k < hits; k++) {
            int b = cachedBlockOf(seq, k);
            if (records.ref(b) == 0) {
                freeQueue.remove(b);
                numCachedFree--;
                numUsed++;
            }
            records.addRef(b, 1);
            table.add(b);
        }
        if (hits > 0) {
            seq.setNumRegisteredBlocks(hits);
            hitBlocks += hits;
        }
        int totalTokens = computedTokens + hitTokens + newTokens;
        int missing = ceilDiv(totalTokens) - table.size();
        for (int i = 0; i < missing; i++) {
            table.add(popFreeBlock());
        }
        if (enablePrefixCaching) {
            registerFullBlocks(seq, totalTokens / blockSize);
        }
        return true;
    }

    /** Releases all of {@code seq}'s blocks (request finished or preempted); its hashes are kept. */
    public void free(KvSequence seq) {
        IntArrayList table = seq.table();
        int n = table.size();
        // Reverse order: the request's tail blocks reach the queue tail first and so are evicted first.
        for (int i = n - 1; i >= 0; i--) {
            int b = table.getInt(i);
            if (records.addRef(b, -1) == 0) {
                numUsed--;
                if (records.cached(b)) {
                    freeQueue.append(b);
                    numCachedFree++;
                }
            }
        }
        // Hash-less blocks go to the head, the table's last such block ending up first
        // (free_blocks' prepend_n over the reversed table).
        for (int i = 0; i < n; i++) {
            int b = table.getInt(i);
            if (records.ref(b) == 0 && !records.cached(b)) {
                freeQueue.prepend(b);
            }
        }
        noteHints(seq);
        table.clear();
        seq.setNumRegisteredBlocks(0);
    }

    /** Leaves in {@code seq} where its registered blocks are, for the next lookup of it or of a turn carrying it. */
    private void noteHints(KvSequence seq) {
        int registered = seq.numRegisteredBlocks();
        if (registered == 0) {
            return;
        }
        IntArrayList table = seq.table();
        long[] hints = seq.hintArrayFor(this, registered);
        for (int k = 0; k < registered; k++) {
            int b = table.getInt(k);
            hints[k] = records.cached(b) && index.isHead(b) ? (long) index.generation(b) << 32 | b : -1L;
        }
        seq.setNumHints(registered);
    }

    /**
     * Releases {@code seq}'s blocks and drops from the prefix cache every one that no other sequence
     * holds, so they are reused first and never hit again (the evict-always retention policy).
     */
    public void evict(KvSequence seq) {
        IntArrayList table = seq.table();
        for (int i = 0, n = table.size(); i < n; i++) {
            int b = table.getInt(i);
            if (records.ref(b) == 1 && records.cached(b)) {
                index.remove(records.hash(b), b);
                records.setCached(b, false);
                numCached--;
                // A cached block whose ref drops to 0 would be appended; uncached ones are prepended.
            }
        }
        free(seq);
    }

    /**
     * Blocks {@code from, from+1, ...} of {@code seq} (at most {@code count}) are written into free GPU
     * blocks and registered in the prefix cache, as KV restored from a host tier: they sit at the LRU
     * tail, reusable by the next prefix lookup, and evict the oldest free blocks to make room. Stops at
     * the first block whose parent is not cached (a chain must stay contiguous) or when no free block is
     * left. Returns the number of blocks inserted.
     */
    public int insertCached(KvSequence seq, int from, int count) {
        return insertCached(k -> seq.blockHash(k, blockSize), from, count);
    }

    /** {@link #insertCached(KvSequence, int, int)} for a chain given by its block hashes (block k: {@code hashes[k]}). */
    public int insertCached(long[] hashes, int from, int count) {
        return insertCached(k -> hashes[k], from, count);
    }

    private int insertCached(IntToLongFunction hashAt, int from, int count) {
        if (!enablePrefixCaching) {
            return 0;
        }
        int inserted = 0;
        for (int k = from; k < from + count && freeQueue.size() > 0; k++) {
            long h = hashAt.applyAsLong(k);
            if (index.get(h) >= 0) {
                inserted++;
                continue;
            }
            if (k > 0 && index.get(hashAt.applyAsLong(k - 1)) < 0) {
                break;
            }
            int b = popFreeBlock();
            allocatedBlocks--; // not an allocation for a running request
            records.setRef(b, 0);
            numUsed--;
            records.setHash(b, h);
            records.setCached(b, true);
            numCached++;
            index.insert(h, b);
            freeQueue.append(b);
            numCachedFree++;
            inserted++;
        }
        return inserted;
    }

    /**
     * Marks the free cached blocks holding {@code hashes[0, count)} most recently used (moves them to the
     * free queue's tail), so that inserting the rest of their chain ({@link #insertCached}) evicts other
     * blocks first instead of the chain's own head. Blocks held by a request are not in the queue and stay.
     */
    public void touchCached(long[] hashes, int count) {
        for (int k = 0; k < count; k++) {
            int b = cachedBlock(hashes[k]);
            if (b >= 0 && records.ref(b) == 0 && freeQueue.contains(b)) {
                freeQueue.remove(b);
                freeQueue.append(b);
            }
        }
    }

    /** The block caching {@code hash}, or -1 when no GPU block holds it. */
    public int cachedBlock(long hash) {
        return enablePrefixCaching ? index.get(hash) : -1;
    }

    /**
     * Reorders the free queue for priority eviction: blocks without a hash stay first (they are reused before
     * any cached block is evicted), then the cached free blocks by {@code classOf[block]} from
     * {@code classes - 1} (evicted first) down to 0 (evicted last), each class keeping its LRU order. One
     * pass over the free queue (once per world step of a multi-agent simulation, never per engine step).
     *
     * @param classOf per block id, its eviction class in [0, classes)
     */
    public void reorderFreeQueue(int[] classOf, int classes) {
        // A stable counting sort of the queue by group (0: hash-less; 1 + classes - 1 - class: cached) into
        // scratch arrays kept between calls, so a world step allocates nothing.
        int groups = classes + 1;
        if (reorderStart.length < groups + 1) {
            reorderStart = new int[groups + 1];
        }
        int[] start = reorderStart;
        java.util.Arrays.fill(start, 0, groups + 1, 0);
        int n = freeQueue.size();
        if (reorderOrder.length < n) {
            reorderOrder = new int[numBlocks];
        }
        for (int b = freeQueue.first(); b >= 0; b = freeQueue.after(b)) {
            start[reorderGroup(b, classOf, classes) + 1]++;
        }
        for (int g = 0; g < groups; g++) {
            start[g + 1] += start[g];
        }
        int[] order = reorderOrder;
        for (int b = freeQueue.first(); b >= 0; b = freeQueue.after(b)) {
            order[start[reorderGroup(b, classOf, classes)]++] = b;
        }
        for (int i = 0; i < n; i++) {
            freeQueue.remove(order[i]);
            freeQueue.append(order[i]);
        }
    }

    private int reorderGroup(int b, int[] classOf, int classes) {
        return records.cached(b) ? classes - 1 - classOf[b] + 1 : 0;
    }

    /** Hash of block {@code k} of {@code seq} under this pool's block size (for tiers keyed by hash). */
    public long blockHashOf(KvSequence seq, int k) {
        return seq.blockHash(k, blockSize);
    }

    /** Free blocks that still hold a reusable prefix (CACHED in the residency model's terms). */
    public int numCachedFreeBlocks() {
        return numCachedFree;
    }

    /** Blocks in the pool, the null block included ({@code num_gpu_blocks}). */
    public int numBlocks() {
        return numBlocks;
    }

    /** Blocks that can ever be allocated: {@code numBlocks() - 1} (block 0 is the null block). */
    public int numUsableBlocks() {
        return numBlocks - 1;
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean prefixCachingEnabled() {
        return enablePrefixCaching;
    }

    /** Blocks with reference count 0, cached or not (all of them can be allocated). */
    public int numFreeBlocks() {
        return freeQueue.size();
    }

    /** Blocks held by at least one sequence. */
    public int numUsedBlocks() {
        return numUsed;
    }

    /** Blocks that carry a hash and can be hit, whatever their reference count. */
    public int numCachedBlocks() {
        return numCached;
    }

    /** KV cache usage as vLLM reports it: {@code 1 - free / (num_gpu_blocks - 1)}. */
    public double usage() {
        int usable = numBlocks - 1;
        return usable == 0 ? 0.0 : 1.0 - (double) freeQueue.size() / usable;
    }

    /** Cached blocks whose hash was dropped because allocation reused them. */
    public long evictions() {
        return evictions;
    }

    /** Blocks reused through prefix hits in successful allocations. */
    public long hitBlocks() {
        return hitBlocks;
    }

    /** Blocks taken from the free queue as new (non-hit) blocks. */
    public long allocatedBlocks() {
        return allocatedBlocks;
    }

    int refCount(int block) {
        return records.ref(block);
    }

    boolean isCached(int block) {
        return records.cached(block);
    }

    /** The hash a cached block is registered under (meaningful only when {@link #isCached}). */
    long cachedHash(int block) {
        return records.hash(block);
    }

    /** The free queue from head (evicted first) to tail. */
    int[] freeQueueOrder() {
        int[] order = new int[freeQueue.size()];
        int i = 0;
        for (int b = freeQueue.first(); b >= 0; b = freeQueue.after(b)) {
            order[i++] = b;
        }
        return order;
    }

    /**
     * Test view: the blocks {@link #findCachedPrefixTokens} found last (it returned {@code hitTokens}), and
     * those a plain probe of the hash index (no hints) finds for {@code seq} now: the two must be equal.
     */
    int[][] lastLookupAndProbe(KvSequence seq, int numTokens, int hitTokens) {
        int[] last = java.util.Arrays.copyOf(lookupBlocks, hitTokens / blockSize);
        IntArrayList probed = new IntArrayList();
        int maxBlocks = enablePrefixCaching && numTokens > 1 ? (numTokens - 1) / blockSize : 0;
        for (int k = 0; k < maxBlocks; k++) {
            int b = index.get(seq.blockHash(k, blockSize));
            if (b < 0) {
                break;
            }
            probed.add(b);
        }
        return new int[][] {last, probed.toIntArray()};
    }

    /** Verifies every structural invariant of the pool; throws {@link IllegalStateException} if broken. */
    void checkInvariants() {
        if (freeQueue.size() + numUsed != numBlocks - 1) {
            fail("free " + freeQueue.size() + " + used " + numUsed + " != usable " + (numBlocks - 1));
        }
        if (records.ref(NULL_BLOCK) != 0 || freeQueue.contains(NULL_BLOCK) || records.cached(NULL_BLOCK)) {
            fail("null block was allocated, freed or cached");
        }
        int walked = 0;
        int cachedFree = 0;
        for (int b = freeQueue.first(); b >= 0; b = freeQueue.after(b)) {
            if (records.ref(b) != 0) {
                fail("block " + b + " in free queue with ref " + records.ref(b));
            }
            if (records.cached(b)) {
                cachedFree++;
            }
            if (++walked > numBlocks) {
                fail("free queue has a cycle");
            }
        }
        if (walked != freeQueue.size()) {
            fail("free queue walk " + walked + " != size " + freeQueue.size());
        }
        if (cachedFree != numCachedFree) {
            fail("cached free count " + numCachedFree + " but " + cachedFree + " free blocks carry a hash");
        }
        int used = 0;
        int hashed = 0;
        for (int b = NULL_BLOCK + 1; b < numBlocks; b++) {
            if (records.ref(b) < 0) {
                fail("block " + b + " has negative ref " + records.ref(b));
            }
            if ((records.ref(b) == 0) != freeQueue.contains(b)) {
                fail("block " + b + " ref " + records.ref(b) + " but inFreeQueue=" + freeQueue.contains(b));
            }
            if (records.ref(b) > 0) {
                used++;
            }
            if (records.cached(b)) {
                hashed++;
                if (!index.holds(records.hash(b), b)) {
                    fail("cached block " + b + " missing from the hash index");
                }
            }
        }
        if (used != numUsed) {
            fail("used count " + numUsed + " but " + used + " blocks have ref > 0");
        }
        if (hashed != numCached) {
            fail("cached count " + numCached + " but " + hashed + " blocks carry a hash");
        }
        if (index.distinctHashes() > numCached || (!enablePrefixCaching && numCached != 0)) {
            fail("hash index holds " + index.distinctHashes() + " hashes for " + numCached + " blocks");
        }
    }

    private int popFreeBlock() {
        int b = freeQueue.popFirst();
        if (records.cached(b)) {
            index.remove(records.hash(b), b);
            records.setCached(b, false);
            numCached--;
            numCachedFree--;
            evictions++;
        }
        records.setRef(b, 1);
        numUsed++;
        allocatedBlocks++;
        return b;
    }

    private void registerFullBlocks(KvSequence seq, int numFullBlocks) {
        IntArrayList table = seq.table();
        int from = seq.numRegisteredBlocks();
        if (from >= numFullBlocks) {
            return;
        }
        for (int k = from; k < numFullBlocks; k++) {
            int b = table.getInt(k);
            if (records.cached(b)) {
                continue;
            }
            long h = seq.blockHash(k, blockSize);
            records.setHash(b, h);
            records.setCached(b, true);
            numCached++;
            index.insert(h, b);
        }
        seq.setNumRegisteredBlocks(numFullBlocks);
    }

    private int cachedBlockOf(KvSequence seq, int k) {
        if (seq == lookupSeq && k < lookupHits && lookupVersion == index.version()) {
            return lookupBlocks[k];
        }
        int b = index.get(seq.blockHash(k, blockSize));
        if (b < 0) {
            throw new IllegalStateException(
                "hit block " + k + " is no longer cached; call findCachedPrefixTokens right before allocating");
        }
        return b;
    }

    private void validate(KvSequence seq, int hitTokens, int computedTokens, int newTokens) {
        if (newTokens <= 0 || computedTokens < 0 || hitTokens < 0) {
            throw new IllegalArgumentException("bad token counts: hit " + hitTokens + ", computed "
                + computedTokens + ", new " + newTokens);
        }
        if (hitTokens % blockSize != 0) {
            throw new IllegalArgumentException("hitTokens " + hitTokens + " not a multiple of " + blockSize);
        }
        if (hitTokens > 0 && (seq.numBlocks() != 0 || !enablePrefixCaching)) {
            throw new IllegalArgumentException("prefix hits only at admission of a sequence holding no blocks");
        }
    }

    private int ceilDiv(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    private static void fail(String message) {
        throw new IllegalStateException(message);
    }
}
