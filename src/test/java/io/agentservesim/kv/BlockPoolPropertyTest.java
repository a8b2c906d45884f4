package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded random schedules of admissions (with prefix hits), prefill chunks, decode steps, preemptions
 * and completions against a reference model of which sequence holds which block, checking the pool's
 * bookkeeping after every operation.
 */
class BlockPoolPropertyTest {
    private static final int BS = 4;

    private static final class Req {
        final KvSequence seq;
        int[] ids;
        int totalTokens;
        int computed;
        boolean running;

        Req(KvSequence seq, int totalTokens) {
            this.seq = seq;
            this.totalTokens = totalTokens;
        }
    }

    @ParameterizedTest(name = "seed {0}, caching {1}")
    @CsvSource({"1,true", "2,true", "3,true", "4,true", "5,true", "6,true", "7,false", "8,false"})
    void bookkeepingHoldsAfterEveryOperation(long seed, boolean caching) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int numBlocks = 12 + rnd.nextInt(30);
        BlockPool pool = new BlockPool(numBlocks, BS, caching);
        int[][] bases = {Prompts.range(0, 40), Prompts.range(1000, 40), Prompts.range(2000, 40)};
        List<Req> reqs = new ArrayList<>();
        long salt = 0;
        int failures = 0;
        int hitAdmissions = 0;
        int hintedLookups = 0;
        List<Req> finished = new ArrayList<>();

        for (int step = 0; step < 3000; step++) {
            int op = rnd.nextInt(10);
            if (op < 2 && reqs.size() < 12) {
                int[] ids = null;
                int len = 1 + rnd.nextInt(30);
                if (rnd.nextInt(4) != 0) {
                    int[] base = bases[rnd.nextInt(bases.length)];
                    int shared = rnd.nextInt(Math.min(len, base.length) + 1);
                    ids = Prompts.extend(Arrays.copyOf(base, shared), 5000 + rnd.nextInt(1_000_000), len - shared);
                }
                KvSequence carried = null;
                if (ids != null && !finished.isEmpty() && rnd.nextBoolean()) {
                    // The next turn of a finished request: its ids and more, carrying its hashes and block hints.
                    Req prev = finished.get(rnd.nextInt(finished.size()));
                    int keep = rnd.nextInt(prev.ids.length + 1);
                    ids = Prompts.extend(Arrays.copyOf(prev.ids, keep), 7000 + rnd.nextInt(1_000_000), 1 + rnd.nextInt(12));
                    len = ids.length;
                    carried = prev.seq;
                }
                Req fresh = new Req(new KvSequence(ids, ++salt), len);
                fresh.seq.carryHashesFrom(carried);
                fresh.ids = ids;
                reqs.add(fresh);
            } else if (!reqs.isEmpty()) {
                Req r = reqs.get(rnd.nextInt(reqs.size()));
                if (op == 2 && r.running) {
                    pool.free(r.seq); // preemption: recompute from scratch later
                    r.running = false;
                    r.computed = 0;
                } else if (op == 3 && r.running) {
                    pool.free(r.seq); // finished
                    reqs.remove(r);
                    if (r.ids != null && r.ids.length == r.totalTokens) {
                        finished.add(r);
                    }
                } else if (!r.running) {
                    int hit = pool.findCachedPrefixTokens(r.seq, r.totalTokens);
                    int[][] lastAndProbe = pool.lastLookupAndProbe(r.seq, r.totalTokens, hit);
                    // Hints never change the answer: the same blocks, in order, as probing the index by hash.
                    assertThat(lastAndProbe[0]).isEqualTo(lastAndProbe[1]);
                    hintedLookups += r.seq.numHints() > 0 && hit > 0 ? 1 : 0;
                    assertThat(hit % BS).isZero();
                    assertThat(hit).isLessThanOrEqualTo(r.totalTokens - 1);
                    int chunk = 1 + rnd.nextInt(r.totalTokens - hit);
                    int need = pool.blocksToAllocate(r.seq, hit, 0, chunk);
                    int freeBefore = pool.numFreeBlocks();
                    int cachedBefore = pool.numCachedBlocks();
                    boolean ok = pool.allocateSlots(r.seq, hit, 0, chunk);
                    assertThat(ok).isEqualTo(need <= freeBefore);
                    if (ok) {
                        assertThat(pool.numFreeBlocks()).isEqualTo(freeBefore - need);
                        r.running = true;
                        r.computed = hit + chunk;
                        hitAdmissions += hit > 0 ? 1 : 0;
                    } else {
                        failures++;
                        assertThat(pool.numFreeBlocks()).isEqualTo(freeBefore);
                        assertThat(pool.numCachedBlocks()).isEqualTo(cachedBefore);
                        assertThat(r.seq.numBlocks()).isZero();
                    }
                } else {
                    if (r.computed == r.totalTokens) {
                        r.totalTokens++; // a sampled token to decode
                    }
                    int chunk = 1 + rnd.nextInt(r.totalTokens - r.computed);
                    int need = pool.blocksToAllocate(r.seq, 0, r.computed, chunk);
                    int freeBefore = pool.numFreeBlocks();
                    if (pool.allocateSlots(r.seq, 0, r.computed, chunk)) {
                        assertThat(pool.numFreeBlocks()).isEqualTo(freeBefore - need);
                        r.computed += chunk;
                    } else {
                        failures++;
                        assertThat(need).isGreaterThan(freeBefore);
                        pool.free(r.seq);
                        r.running = false;
                        r.computed = 0;
                    }
                }
            }
            checkAgainstModel(pool, reqs);
        }
        assertThat(failures).as("schedule exercised allocation failures").isPositive();
        if (caching) {
            assertThat(hitAdmissions).as("schedule exercised prefix hits").isPositive();
            assertThat(pool.evictions()).as("schedule exercised evictions").isPositive();
            assertThat(hintedLookups).as("schedule exercised lookups with block hints").isPositive();
        } else {
            assertThat(pool.hitBlocks()).isZero();
        }
    }

    private static void checkAgainstModel(BlockPool pool, List<Req> reqs) {
        pool.checkInvariants();
        assertThat(pool.numFreeBlocks() + pool.numUsedBlocks()).isEqualTo(pool.numUsableBlocks());
        int[] expectedRef = new int[pool.numBlocks()];
        for (Req r : reqs) {
            KvSequence s = r.seq;
            if (!r.running) {
                assertThat(s.numBlocks()).isZero();
                continue;
            }
            assertThat(s.numBlocks()).isEqualTo((r.computed + BS - 1) / BS);
            for (int k = 0; k < s.numBlocks(); k++) {
                expectedRef[s.blockId(k)]++;
            }
            int full = pool.prefixCachingEnabled() ? r.computed / BS : 0;
            assertThat(s.numRegisteredBlocks()).isEqualTo(full);
            for (int k = 0; k < full; k++) {
                int b = s.blockId(k);
                assertThat(pool.isCached(b)).isTrue();
                // A shared or hit block must hold exactly this sequence's content at position k.
                assertThat(pool.cachedHash(b)).isEqualTo(s.blockHash(k, BS));
            }
        }
        for (int b = 0; b < pool.numBlocks(); b++) {
            assertThat(pool.refCount(b)).as("ref of block %d", b).isEqualTo(expectedRef[b]);
        }
    }
}
