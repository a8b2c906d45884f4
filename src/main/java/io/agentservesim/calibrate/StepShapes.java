package io.agentservesim.calibrate;

import io.agentservesim.perf.BatchShape;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The fixed, seeded set of engine-step shapes the validation compares whole steps on, within a
 * 2048-token step budget like the profiled engines: pure decode (1–256 sequences, contexts drawn up to
 * 512, 2k or 8k), pure prefill (one chunk of 64–2048 tokens over 0–4k cached tokens) and mixed steps
 * (one chunk plus 8–128 decodes with contexts up to 4k).
 */
public final class StepShapes {
    /** The seed of the validation's step set. */
    public static final long SEED = 20_261_123L;

    /** A named step. */
    public record Step(String kind, BatchShape batch) { }

    private StepShapes() {
    }

    public static List<Step> sample(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Step> steps = new ArrayList<>();
        for (int n : new int[] {1, 4, 16, 64, 128, 256}) {
            for (int maxCtx : new int[] {512, 2048, 8192}) {
                BatchShape b = new BatchShape();
                for (int i = 0; i < n; i++) {
                    b.addDecode(16 + rng.nextInt(maxCtx - 16));
                }
                steps.add(new Step("decode", b));
            }
        }
        for (int chunk : new int[] {64, 256, 1024, 2048}) {
            for (int kv : new int[] {0, 1024, 4096}) {
                BatchShape b = new BatchShape();
                b.addPrefill(chunk, kv);
                steps.add(new Step("prefill", b));
            }
        }
        for (int n : new int[] {8, 32, 128}) {
            for (int chunk : new int[] {256, 1024, 2048 - n}) {
                BatchShape b = new BatchShape();
                b.addPrefill(chunk, rng.nextInt(4096));
                int context = 16 + rng.nextInt(4096 - 16);
                for (int i = 0; i < n; i++) {
                    b.addDecode(context);
                }
                steps.add(new Step("mixed", b));
            }
        }
        return steps;
    }
}
