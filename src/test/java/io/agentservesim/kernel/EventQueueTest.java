package io.agentservesim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.PriorityQueue;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventQueueTest {

    private record Ev(long time, long seq, int handle) {
    }

    /** Random pushes and pops give the same order as java.util.PriorityQueue on (time, insertion order). */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void popsInTimeThenInsertionOrderLikePriorityQueue(long seed) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        EventQueue q = new EventQueue(2);
        PriorityQueue<Ev> ref = new PriorityQueue<>((a, b) -> a.time != b.time
                ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
        long seq = 0;
        for (int op = 0; op < 20_000; op++) {
            if (ref.isEmpty() || rng.nextInt(3) > 0) {
                long t = rng.nextInt(50); // many ties
                int h = rng.nextInt(1 << 20);
                q.push(t, h);
                ref.add(new Ev(t, seq++, h));
            } else {
                Ev e = ref.poll();
                assertThat(q.peekTime()).isEqualTo(e.time);
                assertThat(q.peekHandle()).isEqualTo(e.handle);
                q.pop();
            }
            assertThat(q.size()).isEqualTo(ref.size());
        }
    }
}
