package io.agentservesim.lora;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.model.ModelShape;
import io.agentservesim.residency.Link;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AdapterShapeTest {
    private static final ModelShape QWEN_7B = ModelShape.load(Path.of("data/models/Qwen/Qwen2.5-7B-Instruct.json"));

    @Test
    void qwen25SevenBRank64OnAllSevenProjections() {
        // Qwen2.5-7B: hidden 3584, 28 heads x 128, 4 KV heads x 128 = 512, MLP 18944, 28 layers, bf16.
        // Per layer, rank x (d_in + d_out): q 3584+3584, k 3584+512, v 3584+512, o 3584+3584,
        // gate 3584+18944, up 3584+18944, down 18944+3584 = 90,112 x 64 = 5,767,168 elements.
        AdapterShape shape = new AdapterShape(64, AdapterShape.allLinear());
        assertThat(shape.elementsPerLayer(QWEN_7B, 1)).isEqualTo(5_767_168L);
        // x 28 layers x 2 bytes = 322,961,408 bytes (308 MiB); 100 slots (ScaleSim's max_loras) = 32.3 GB of HBM.
        assertThat(shape.bytesPerGpu(QWEN_7B, 1)).isEqualTo(322_961_408L);
    }

    @Test
    void attentionOnlyRank16() {
        // q, v only (PEFT's default for Llama-style models): rank 16 x (7168 + 4096) x 28 x 2 = 10,092,544.
        AdapterShape shape = new AdapterShape(16, EnumSet.of(LoraTarget.Q_PROJ, LoraTarget.V_PROJ));
        assertThat(shape.bytesPerGpu(QWEN_7B, 1)).isEqualTo(10_092_544L);
    }

    @Test
    void tensorParallelSplitsTheShardedSideOfEachLayer() {
        // TP 2 on q and o: q keeps A (3584) whole and splits B (3584 / 2); o splits A (3584 / 2) and keeps B.
        // 64 x ((3584 + 1792) + (1792 + 3584)) x 28 x 2 = 38,535,168.
        AdapterShape shape = new AdapterShape(64, EnumSet.of(LoraTarget.Q_PROJ, LoraTarget.O_PROJ));
        assertThat(shape.bytesPerGpu(QWEN_7B, 2)).isEqualTo(38_535_168L);
    }

    @Test
    void loadTimeIsLatencyPlusBytesOverTheHostLink() {
        // 322,961,408 bytes over 25 GB/s with 10 us latency: 10,000 + 12,918,457 ns (ceil) = 12.93 ms.
        Link link = new Link("host", 25e9, 10_000);
        long bytes = new AdapterShape(64, AdapterShape.allLinear()).bytesPerGpu(QWEN_7B, 1);
        assertThat(link.durationNs(bytes)).isEqualTo(12_928_457L);
    }
}
