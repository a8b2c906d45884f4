package io.agentservesim.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import org.junit.jupiter.api.Test;

/** FLOPs and bytes of a step on {@link TinyModel}, by hand. */
class StepWorkTest {
    private final StepWork work = new StepWork(TinyModel.MODEL);
    private final BatchShape batch = new BatchShape();

    @Test
    void aPrefillChunkCountsDenseLogitAndCausalAttentionFlopsAndReadsWeightsPlusKv() {
        batch.addPrefill(8, 0);
        work.measure(batch);
        // 320·8 + 128·1 + 16·(8·9/2 = 36 pairs)
        assertThat(work.flops()).isEqualTo(2560 + 128 + 576);
        // weights 448 + KV 16·(8 read + 8 written)
        assertThat(work.bytes()).isEqualTo(448 + 256);
    }

    @Test
    void decodesReadTheirWholeContext() {
        batch.addDecode(8);
        batch.addDecode(24);
        work.measure(batch);
        // 320·2 + 128·2 + 16·(9 + 25 pairs)
        assertThat(work.flops()).isEqualTo(640 + 256 + 544);
        // weights 448 + KV 16·(34 read + 2 written)
        assertThat(work.bytes()).isEqualTo(448 + 576);
    }

    @Test
    void aPrefillChunkOverCachedTokensAttendsToThemAll() {
        batch.addPrefill(4, 10);
        work.measure(batch);
        // pairs 4·10 + 4·5/2 = 50
        assertThat(work.flops()).isEqualTo(320 * 4 + 128 + 16 * 50);
        assertThat(work.bytes()).isEqualTo(448 + 16 * (14 + 4));
    }

    @Test
    void moeStepsReadOnlyTheExpertsTheirTokensCanReach() {
        // 1 layer, hidden 4, 8 experts of width 2, top-2: an expert is 3·4·2 = 24 weights (48 bytes).
        ModelShape moe = new ModelShape("tiny-moe", 1, 4, 1, 1, 4, 8, 16, 8, 2, 2, 2, false);
        StepWork w = new StepWork(moe);
        batch.addDecode(0);
        w.measure(batch);
        double oneToken = w.bytes();
        batch.clear();
        for (int i = 0; i < 10; i++) {
            batch.addDecode(0);
        }
        w.measure(batch);
        // 1 token reaches 2 experts; 10 tokens reach all 8 (capped): 6 more experts, and 9 more tokens' KV
        assertThat(w.bytes() - oneToken).isCloseTo(6 * 48 + 9 * 16 * 2, within(1e-9));
    }
}
