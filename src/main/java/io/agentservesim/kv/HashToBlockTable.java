package io.agentservesim.kv;

/**
 * Open-addressing map from a 64-bit block hash to a block id, for the prefix-cache index.
 *
 * <p>Linear probing over one {@code long[]} of (key, value) pairs side by side, so a probe that hits costs
 * one cache line where fastutil's {@code Long2IntOpenHashMap} (keys and values in two arrays) costs two:
 * the index of each of 64 instances is about 1 MB, far out of cache, and its lookups were a quarter of a
 * 10,000-program agent run. Removal shifts the following run of entries back (Knuth's algorithm R), as
 * fastutil does, so no tombstones accumulate. The table is sized once, as fastutil sizes it, for at
 * most {@code capacity} entries at a load factor of at most 3/4 (a pool never holds more distinct hashes
 * than blocks) and never rehashes. Nothing iterates it, so its layout cannot reach any output.
 */
final class HashToBlockTable {
    /** Value of an empty slot; block ids are >= 0. */
    static final int NONE = -1;

    private final long[] slots;
    private final int mask;
    private final int shift;
    private final int capacity;
    private int size;

    /** A table for at most {@code capacity} keys. */
    HashToBlockTable(int capacity) {
        long wanted = Math.max(2L, (long) Math.ceil(capacity / 0.75));
        if (wanted > 1 << 29) {
            throw new IllegalArgumentException("hash table for " + capacity + " entries is too large");
        }
        int cells = Integer.highestOneBit((int) wanted - 1) << 1; // the power of two >= capacity / 0.75
        this.capacity = capacity;
        slots = new long[2 * cells];
        for (int i = 1; i < slots.length; i += 2) {
            slots[i] = NONE;
        }
        mask = cells - 1;
        shift = 64 - Integer.numberOfTrailingZeros(cells);
    }

    int size() {
        return size;
    }

    /** The block stored under {@code key}, or {@link #NONE}. */
    int get(long key) {
        for (int i = home(key); ; i = (i + 1) & mask) {
            long v = slots[2 * i + 1];
            if (v == NONE) {
                return NONE;
            }
            if (slots[2 * i] == key) {
                return (int) v;
            }
        }
    }

    /** Stores {@code block} under {@code key} unless a block is already there; returns that block or NONE. */
    int putIfAbsent(long key, int block) {
        int i = find(key);
        long v = slots[2 * i + 1];
        if (v != NONE) {
            return (int) v;
        }
        insertAt(i, key, block);
        return NONE;
    }

    /** Stores {@code block} under {@code key}, replacing any block there. */
    void put(long key, int block) {
        int i = find(key);
        if (slots[2 * i + 1] != NONE) {
            slots[2 * i + 1] = block;
        } else {
            insertAt(i, key, block);
        }
    }

    /** Removes {@code key} if present. */
    void remove(long key) {
        int i = find(key);
        if (slots[2 * i + 1] != NONE) {
            removeAt(i);
        }
    }

    /** The slot holding {@code key}, or -1 when absent (for {@link #valueAt}, {@link #setAt}, {@link #removeAt}). */
    int slotOf(long key) {
        int i = find(key);
        return slots[2 * i + 1] == NONE ? -1 : i;
    }

    /** The block in a slot {@link #slotOf} returned. */
    int valueAt(int slot) {
        return (int) slots[2 * slot + 1];
    }

    /** Replaces the block in a slot {@link #slotOf} returned. */
    void setAt(int slot, int block) {
        slots[2 * slot + 1] = block;
    }

    /** Removes the entry in a slot {@link #slotOf} returned (other slots may move). */
    void removeAt(int slot) {
        int i = slot;
        size--;
        // Shift back every later entry of the run whose home does not lie cyclically in (i, j].
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long v = slots[2 * j + 1];
            if (v == NONE) {
                break;
            }
            int h = home(slots[2 * j]);
            if (i <= j ? (i < h && h <= j) : (i < h || h <= j)) {
                continue;
            }
            slots[2 * i] = slots[2 * j];
            slots[2 * i + 1] = v;
            i = j;
        }
        slots[2 * i] = 0;
        slots[2 * i + 1] = NONE;
    }

    /** The slot holding {@code key}, or the empty slot where it would go. */
    private int find(long key) {
        int i = home(key);
        while (slots[2 * i + 1] != NONE && slots[2 * i] != key) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void insertAt(int i, long key, int block) {
        if (size >= capacity) {
            throw new IllegalStateException("hash table full: it was sized for " + capacity + " entries");
        }
        slots[2 * i] = key;
        slots[2 * i + 1] = block;
        size++;
    }

    /** Fibonacci hashing: the top bits of key times the golden ratio (any key, even a small counter, spreads). */
    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

}
