package io.agentservesim.perf;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On a profile that is monotone in every axis (the synthetic bundle), interpolation, hole filling and
 * extrapolation must keep it so: more prefill tokens, longer contexts or one more decode never make a
 * step faster, for mixed batches of several prefills and decodes anywhere in and just beyond the grid.
 */
class MonotonicityTest {
    @TempDir
    Path dir;

    private static BatchShape randomBatch(Random rnd) {
        BatchShape b = new BatchShape();
        int prefills = rnd.nextInt(3);
        for (int i = 0; i < prefills; i++) {
            b.addPrefill(2 + rnd.nextInt(12), rnd.nextInt(20));
        }
        int decodes = rnd.nextInt(3);
        for (int i = 0; i < decodes; i++) {
            b.addDecode(16 + rnd.nextInt(20));
        }
        if (b.isEmpty()) {
            b.addDecode(20);
        }
        return b;
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 11, 99, 1234, 31337})
    void moreWorkIsNeverFaster(long seed) {
        ProfileStepTimeModel m = new ProfileStepTimeModel(ProfileBundle.load(SyntheticBundle.write(dir, true), 1), 4);
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 500; trial++) {
            BatchShape base = randomBatch(rnd);
            long t0 = m.stepTimeNs(base);
            int grow = 1 + rnd.nextInt(8);
            int kvGrow = rnd.nextInt(16);

            BatchShape bigger = new BatchShape();
            BatchShape longer = new BatchShape();
            for (int i = 0; i < base.numPrefills(); i++) {
                bigger.addPrefill(base.prefillChunk(i) + grow, base.prefillKv(i));
                longer.addPrefill(base.prefillChunk(i), base.prefillKv(i) + kvGrow);
            }
            int maxKv = 0;
            for (int i = 0; i < base.numDecodes(); i++) {
                bigger.addDecode(base.decodeKv(i));
                longer.addDecode(base.decodeKv(i) + kvGrow);
                maxKv = Math.max(maxKv, base.decodeKv(i));
            }
            if (base.numPrefills() == 0) {
                bigger.addDecode(Math.max(maxKv, 16));
            }
            assertThat(m.stepTimeNs(bigger)).as("seed %d trial %d: more tokens", seed, trial).isGreaterThanOrEqualTo(t0);
            assertThat(m.stepTimeNs(longer)).as("seed %d trial %d: longer contexts", seed, trial).isGreaterThanOrEqualTo(t0);
        }
    }
}
