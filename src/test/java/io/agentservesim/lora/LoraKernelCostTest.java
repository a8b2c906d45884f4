package io.agentservesim.lora;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class LoraKernelCostTest {
    private static final ModelShape QWEN_7B = ModelShape.load(Path.of("data/models/Qwen/Qwen2.5-7B-Instruct.json"));
    private static final StepTimeModel ONE_MS = new StepTimeModel() {
        @Override public long stepTimeNs(BatchShape batch) { return 1_000_000; }
        @Override public String source() { return "fixed"; }
    };

    @Test
    void shrinkAndExpandOfEachAdaptedLayerArePricedOnTheRoofline() {
        // q_proj only (3584 -> 3584), rank 64, 100 tokens, 2 adapters; 1e15 FLOP/s and 1e12 B/s achieved.
        // shrink: 2 x 100 x 64 x 3584 = 45,875,200 FLOP = 45.9 ns; bytes 2 x (100 x 3584 + 2 x 64 x 3584 + 100 x 64)
        //   = 1,647,104 B = 1,647.104 ns (bandwidth-bound).
        // expand: same FLOPs; bytes 2 x (100 x 64 + 2 x 64 x 3584 + 2 x 100 x 3584) = 2,363,904 B = 2,363.904 ns.
        // 4,011.008 ns per layer x 28 layers = 112,308.224 -> 112,308 ns on top of the base step.
        LoraKernelCost cost = new LoraKernelCost(ONE_MS, new AdapterShape(64, EnumSet.of(LoraTarget.Q_PROJ)),
                QWEN_7B, 1, 1e15, 1e12);
        BatchShape b = new BatchShape();
        b.addPrefill(100, 0);
        b.setLoraAdapters(2);
        assertThat(cost.stepTimeNs(b)).isEqualTo(1_112_308);
        b.setLoraAdapters(0); // a base-model batch pays nothing
        assertThat(cost.stepTimeNs(b)).isEqualTo(1_000_000);
    }

    @Test
    void moreAdaptersInOneBatchCostTheirWeightReads() {
        // One decode token over 1 vs 8 adapters: the A and B reads (rank x width per adapter) dominate.
        LoraKernelCost cost = new LoraKernelCost(ONE_MS, new AdapterShape(64, EnumSet.of(LoraTarget.Q_PROJ)),
                QWEN_7B, 1, 1e15, 1e12);
        // n adapters: shrink 2 x (3584 + n x 229,376 + 64) B, expand 2 x (64 + n x 229,376 + 7168) B, per layer.
        // n = 1: (7,295,232 + ... ) -> 2 x (3648 + 229,376) + 2 x (7232 + 229,376) = 939,264 B = 939.264 ns x 28.
        assertThat(cost.extraNs(1, 1)).isEqualTo(Math.round(939.264 * 28));
        // n = 8: 2 x (3648 + 1,835,008) + 2 x (7232 + 1,835,008) = 7,361,792 B = 7,361.792 ns x 28.
        assertThat(cost.extraNs(1, 8)).isEqualTo(Math.round(7361.792 * 28));
    }
}
