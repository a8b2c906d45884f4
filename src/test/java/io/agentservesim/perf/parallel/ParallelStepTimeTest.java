package io.agentservesim.perf.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expert parallelism, all-to-all and pipeline stages on tiny hand-computed shapes, then on real bundles. */
class ParallelStepTimeTest {
    /** 1 GFLOP/s, practically unlimited HBM, a 1 GB/s link: MoE compute dominates, collectives are easy sums. */
    private static final GpuSpec TOY = new GpuSpec("toy", "Toy", 1e9, 0, 1L << 30, 1e18, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 2, null, 0, Map.of());
    /**
     * Full peak (dense and MoE GEMMs), no per-kernel overheads, no per-SM ceiling on the MoE streaming
     * kernels, link at full bandwidth with a 1 µs collective latency.
     */
    private static final RooflineEfficiency EFF = new RooflineEfficiency(
            1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1_000, 0, 1, 1, 1e9);
    /** 2 layers, hidden 4, 4 experts, 2 per token, expert width 8, bf16. */
    private static final ModelShape TOY_MOE = new ModelShape("toy-moe", 2, 4, 2, 1, 2, 8, 16, 4, 2, 8, 2, false);

    private static BatchShape prefill(int tokens) {
        BatchShape b = new BatchShape();
        b.addPrefill(tokens, 0);
        return b;
    }

    private static RooflineStepTimeModel toy(MoeRouting.Kind kind, int ep) {
        return new RooflineStepTimeModel(TOY, TOY_MOE, 1, EFF, null, MoeRouting.of(kind, 1.0, 4, ep));
    }

    @Test
    void allToAllIsDispatchPlusCombineOfTheBusiestShardsPairs() {
        OperatorCosts c = new OperatorCosts(TOY, EFF);
        // (N-1)/N x bytes / bandwidth + latency: 0.5 x 1000 B / 1 GB/s = 0.5 µs, + 1 µs
        assertThat(c.allToAllUs(1000, 2)).isCloseTo(1.5, within(1e-12));
        assertThat(c.allToAllUs(1000, 1)).isZero();
        // 4 tokens x k 2 = 8 pairs; balanced EP2: 4 pairs x hidden 4 x 2 B = 32 B per phase
        BatchShape b = prefill(4);
        assertThat(toy(MoeRouting.Kind.BALANCED, 2).allToAllUs(b)).isCloseTo(2 * 2 * (0.5 * 32e-3 + 1), within(1e-12));
        // Zipf s=1: the hot shard gets 0.72 x 8 = 5.76 pairs = 46.08 B
        assertThat(toy(MoeRouting.Kind.ZIPF, 2).allToAllUs(b)).isCloseTo(2 * 2 * (0.5 * 46.08e-3 + 1), within(1e-12));
        assertThat(toy(MoeRouting.Kind.BALANCED, 1).allToAllUs(b)).isZero();
    }

    @Test
    void ep2WithZipfRoutingIsSlowerThanEp2Balanced() {
        BatchShape b = prefill(64);
        RooflineStepTimeModel balanced = toy(MoeRouting.Kind.BALANCED, 2);
        RooflineStepTimeModel zipf = toy(MoeRouting.Kind.ZIPF, 2);
        assertThat(zipf.stepTimeNs(b)).isGreaterThan(balanced.stepTimeNs(b));
        // expert GEMM FLOPs on the busiest shard: 2 x pairs x 3 x hidden x width at 1 GFLOP/s
        double balancedExperts = 2.0 * 64 * 3 * 4 * 8 / 1e9 * 1e6;         // 64 of 128 pairs
        assertThat(balanced.opUs(io.agentservesim.perf.roofline.Op.MOE, 64)).isCloseTo(balancedExperts, within(1e-6));
        double zipfShare = (1 + 0.5) / (1 + 0.5 + 1.0 / 3 + 0.25);
        assertThat(zipf.opUs(io.agentservesim.perf.roofline.Op.MOE, 64))
                .isCloseTo(balancedExperts * 2 * zipfShare, within(1e-6));
        assertThat(zipf.source()).isEqualTo("roofline:toy/toy-moe/tp1/ep2/zipf1.00");
        assertThat(toy(MoeRouting.Kind.BALANCED, 1).source()).isEqualTo("roofline:toy/toy-moe/tp1");
    }

    /** a = 20 µs per layer, b = 10 µs once per step, whatever the batch. */
    private static StepTimeModel linear(int layers) {
        return new StepTimeModel() {
            @Override
            public long stepTimeNs(BatchShape batch) {
                return (20_000L * layers) + 10_000L;
            }

            @Override
            public String source() {
                return "fake/tp1";
            }
        };
    }

    @Test
    void pipelineOfOneMicroBatchIsTheSumOfStagesPlusTheSend() {
        OperatorCosts c = new OperatorCosts(TOY, EFF);
        PipelineStepTimeModel pp2 = new PipelineStepTimeModel(linear(1), linear(2), 4, 2, 1, c, 4, 2);
        // stages 2 + 2 layers: 40 µs and 40 + 10 µs; send 2 x 8 tokens x 4 x 2 B = 128 B: 0.128 + 1 µs
        assertThat(pp2.stepTimeNs(prefill(8))).isEqualTo(91_128L);
        assertThat(pp2.source()).isEqualTo("fake/pp2x1/tp1");
    }

    @Test
    void pipelineOfManyMicroBatchesTendsToTheSlowestStage() {
        OperatorCosts c = new OperatorCosts(TOY, EFF);
        PipelineStepTimeModel pp2 = new PipelineStepTimeModel(linear(1), linear(2), 4, 2, 1000, c, 4, 2);
        BatchShape b = new BatchShape();
        for (int i = 0; i < 1000; i++) {
            b.addDecode(100);
        }
        // 90/1000 + 999/1000 x 50 + (0.016 + 1) µs
        assertThat(pp2.stepTimeNs(b)).isEqualTo(51_056L);
        // fewer sequences than micro-batches: one micro-batch per sequence
        BatchShape two = new BatchShape();
        two.addDecode(10);
        two.addDecode(20);
        assertThat(pp2.stepTimeNs(two)).isEqualTo(Math.round((90.0 / 2 + 0.5 * 50 + 2 * 2 * 4 * 2 / 2 * 1e-3 + 1) * 1e3));
        PipelineStepTimeModel pp1 = new PipelineStepTimeModel(linear(1), linear(2), 4, 1, 4, c, 4, 2);
        assertThat(pp1.stepTimeNs(prefill(8))).isEqualTo(linear(4).stepTimeNs(prefill(8)));
    }

    @Test
    void stagesSplitLayersLikeVllm() {
        assertThat(PipelineStepTimeModel.stageLayers(10, 4)).containsExactly(2, 3, 3, 2);
        assertThat(PipelineStepTimeModel.stageLayers(48, 2)).containsExactly(24, 24);
        assertThat(PipelineStepTimeModel.stageLayers(7, 3)).containsExactly(2, 3, 2);
        assertThat(PipelineStepTimeModel.stageLayers(5, 3)).containsExactly(2, 2, 1);
    }

    private static final Path D = Path.of("data/llmservingsim");
    private static final ModelShape QWEN_MOE = ModelShape.load(D.resolve("models/Qwen/Qwen3-30B-A3B-Instruct-2507.json"));
    private static final Path QWEN_MOE_BUNDLE = D.resolve("perf/RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16");
    private static final ModelShape LLAMA = ModelShape.load(D.resolve("models/meta-llama/Llama-3.1-8B.json"));
    private static final GpuSpec PRO = GpuCatalog.builtin().get("rtx_pro_6000_server");

    @Test
    void qwenMoeOnTwoRtxPro6000WithEp2SkewedIsSlowerThanBalanced() {
        Parallelism balanced = Parallelism.experts(2, MoeRouting.Kind.BALANCED, 0);
        Parallelism zipf = Parallelism.experts(2, MoeRouting.Kind.ZIPF, 1.2);
        StepTimeModel b = StepTimeModels.forGpu(QWEN_MOE_BUNDLE, PRO, QWEN_MOE, 2, null, balanced);
        StepTimeModel z = StepTimeModels.forGpu(QWEN_MOE_BUNDLE, PRO, QWEN_MOE, 2, null, zipf);
        assertThat(z.source()).contains("moe(ep2/zipf1.20: tp1 table x roofline EP ratio)").contains("all_to_all");
        BatchShape big = prefill(2048);
        assertThat(z.stepTimeNs(big)).isGreaterThan(b.stepTimeNs(big));
        StepTimeModel rb = StepTimeModels.roofline(PRO, QWEN_MOE, 2, null, balanced);
        StepTimeModel rz = StepTimeModels.roofline(PRO, QWEN_MOE, 2, null, zipf);
        assertThat(rz.stepTimeNs(big)).isGreaterThan(rb.stepTimeNs(big));
        // no parallelism: exactly the existing factory
        assertThat(StepTimeModels.forGpu(QWEN_MOE_BUNDLE, PRO, QWEN_MOE, 1, null, Parallelism.NONE).stepTimeNs(big))
                .isEqualTo(StepTimeModels.forGpu(QWEN_MOE_BUNDLE, PRO, QWEN_MOE, 1, null).stepTimeNs(big));
    }

    @Test
    void pipelineOnRealShapesSitsBetweenTheSlowestStageAndTheSum() {
        BatchShape big = new BatchShape();
        for (int i = 0; i < 8; i++) {
            big.addPrefill(256, 0);
        }
        long whole = StepTimeModels.roofline(PRO, LLAMA, 1, null).stepTimeNs(big);
        long oneMb = StepTimeModels.roofline(PRO, LLAMA, 1, null, Parallelism.pipeline(2, 1)).stepTimeNs(big);
        long manyMb = StepTimeModels.roofline(PRO, LLAMA, 1, null, Parallelism.pipeline(2, 8)).stepTimeNs(big);
        // one micro-batch: the same work plus one activation send (2 x 2048 x 4096 x 2 B = 33.6 MB over
        // PCIe 5.0 at the calibrated link fraction: about 2.3 ms)
        assertThat(oneMb).isGreaterThan(whole).isLessThan(whole + 3_000_000L);
        assertThat(manyMb).isLessThan(oneMb);
        assertThat(manyMb).isGreaterThan(whole / 2);
    }
}
