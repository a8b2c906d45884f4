package io.agentservesim.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashToBlockTableTest {

    /**
     * Random puts, replacements and removals over few distinct keys (long probe runs, removals in their
     * middle, runs wrapping the table's end) answer every lookup as java.util.HashMap does.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42})
    void agreesWithHashMapUnderChurn(long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        int capacity = 48;
        HashToBlockTable t = new HashToBlockTable(capacity);
        Map<Long, Integer> ref = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            // Keys from a small pool: with 64 cells, many share a home or a run.
            long key = rng.nextInt(96) * 0x1000_0000_0000L + (rng.nextBoolean() ? 0 : -5);
            int block = rng.nextInt(1 << 20);
            switch (rng.nextInt(4)) {
                case 0 -> {
                    if (ref.size() < capacity || ref.containsKey(key)) {
                        Integer before = ref.putIfAbsent(key, block);
                        assertThat(t.putIfAbsent(key, block)).isEqualTo(before == null ? HashToBlockTable.NONE : before);
                    }
                }
                case 1 -> {
                    if (ref.size() < capacity || ref.containsKey(key)) {
                        ref.put(key, block);
                        t.put(key, block);
                    }
                }
                case 2 -> {
                    ref.remove(key);
                    t.remove(key);
                }
                default -> assertThat(t.get(key)).isEqualTo(ref.getOrDefault(key, HashToBlockTable.NONE));
            }
            assertThat(t.size()).isEqualTo(ref.size());
        }
        for (Map.Entry<Long, Integer> e : ref.entrySet()) {
            assertThat(t.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Test
    void keyZeroAndNegativeKeysAreOrdinaryKeys() {
        HashToBlockTable t = new HashToBlockTable(4);
        t.put(0L, 3);
        t.put(-1L, 5);
        t.put(Long.MIN_VALUE, 0);
        assertThat(t.get(0L)).isEqualTo(3);
        assertThat(t.get(-1L)).isEqualTo(5);
        assertThat(t.get(Long.MIN_VALUE)).isZero();
        assertThat(t.get(1L)).isEqualTo(HashToBlockTable.NONE);
    }

    @Test
    void refusesMoreKeysThanItWasSizedFor() {
        HashToBlockTable t = new HashToBlockTable(2);
        t.put(1, 1);
        t.put(2, 2);
        assertThatThrownBy(() -> t.put(3, 3)).isInstanceOf(IllegalStateException.class).hasMessageContaining("sized for 2");
    }
}
