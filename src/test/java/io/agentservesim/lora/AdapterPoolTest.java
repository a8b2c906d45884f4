package io.agentservesim.lora;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.residency.Link;
import org.junit.jupiter.api.Test;

/** Slots, pins and eviction order by hand: adapters of 1,000 bytes over a 1 byte/ns link (1 us each). */
class AdapterPoolTest {
    private static AdapterPool pool(int slots, AdapterEviction eviction) {
        return new AdapterPool(slots, 10, 1_000, new Link("host", 1e9, 0), eviction);
    }

    @Test
    void pinnedSlotsAreNeverTakenOver() {
        AdapterPool p = pool(2, AdapterEviction.LRU);
        assertThat(p.acquire(0, 0)).isEqualTo(1_000);
        assertThat(p.acquire(1, 0)).isEqualTo(2_000); // queued behind the first load on the link
        assertThat(p.acquire(2, 5_000)).isEqualTo(-1);
        assertThat(p.refusals()).isEqualTo(1);
        p.release(0);
        assertThat(p.acquire(2, 5_000)).isEqualTo(6_000);
        assertThat(p.resident(0)).isFalse();
        assertThat(p.pinnedAdapters()).isEqualTo(2);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsed() {
        AdapterPool p = pool(2, AdapterEviction.LRU);
        p.acquire(0, 0);
        p.acquire(1, 0);
        p.release(0);
        p.release(1);
        p.acquire(0, 10_000); // adapter 0 used again: 1 is now least recent
        p.release(0);
        p.acquire(2, 20_000);
        assertThat(p.resident(0)).isTrue();
        assertThat(p.resident(1)).isFalse();
    }

    @Test
    void priorityEvictsTheAdapterDueLatest() {
        AdapterPool p = pool(3, AdapterEviction.PRIORITY);
        for (int a = 0; a < 3; a++) {
            p.acquire(a, 0);
            p.release(a);
        }
        int[] distance = {5, 1, 3};
        p.setPriorities(a -> distance[a]);
        p.acquire(3, 10_000); // adapter 0 is due in 5 steps: it goes, though adapter 0 is the least recent too
        assertThat(p.resident(0)).isFalse();
        p.release(3);
        p.setPriorities(a -> a == 3 ? 0 : distance[a]);
        p.acquire(4, 20_000); // next: adapter 2 (3 steps), not adapter 1 (1 step), which LRU would take
        assertThat(p.resident(2)).isFalse();
        assertThat(p.resident(1)).isTrue();
    }

    @Test
    void prefetchTakesOnlySlotsOfAdaptersDueNoSooner() {
        AdapterPool p = pool(2, AdapterEviction.PRIORITY);
        assertThat(p.prefetch(0, 1, 0)).isTrue();
        assertThat(p.prefetch(1, 2, 0)).isTrue();
        // Due in 2 steps: may replace adapter 1 (due in 2), not adapter 0 (due in 1).
        assertThat(p.prefetch(2, 2, 5_000)).isTrue();
        assertThat(p.resident(1)).isFalse();
        // Due in 3 steps: both residents are due sooner: an allocation failure.
        assertThat(p.prefetch(3, 3, 6_000)).isFalse();
        assertThat(p.resident(3)).isFalse();
    }
}
