package io.agentservesim.power;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import java.util.Map;

/**
 * A model and a GPU small enough to account by hand.
 *
 * <p>Model: 1 layer, hidden 4, 1 head (and KV head) of width 4, MLP width 8, vocabulary 16, 2-byte
 * weights, untied LM head. Layer weights: attention 4·4 + 2·4·4 + 4·4 = 64, MLP 3·4·8 = 96, so 160;
 * LM head 16·4 = 64. Per token 2·160 = 320 FLOPs; per sequence (logits) 2·64 = 128; per (query, key)
 * pair 4·1·4 = 16. Weights read per step (160 + 64)·2 = 448 bytes; KV 2·1·1·4·2 = 16 bytes per token.
 *
 * <p>GPU: idle 100 W, TDP 500 W, 652,800 FLOP/s, 70,400 bytes/s.
 */
final class TinyModel {
    static final ModelShape MODEL = new ModelShape("tiny", 1, 4, 1, 1, 4, 8, 16, 0, 0, 0, 2, false);
    static final GpuSpec GPU = new GpuSpec("made_up", "Made-up GPU", 652_800, 0, 1L << 30, 70_400, 1,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 100, 500, null, 0, Map.of());

    private TinyModel() {
    }

    static PowerSettings settings(double hostCpuWatts, double dramPj, double linkPj) {
        return new PowerSettings(GPU, MODEL, 1, hostCpuWatts, dramPj, linkPj, "");
    }
}
