package io.agentservesim.perf.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeLayerTime;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lockstep step of two DP ranks by hand, on a toy PCIe GPU whose link moves one byte per ns and whose
 * NCCL runs at half of it (Simple: 10 µs + wire / 0.5 B/ns, LL: 2 µs + wire / 0.25 B/ns, 0.1 µs per ring
 * step): a rank's own work costs 1 µs per token it runs at, the MoE layer 1 µs per token of the group;
 * 2 layers, hidden 64, 8 experts, bf16: the all-gather moves 144 bytes per token (hidden + router logits),
 * the reduce-scatter 128.
 */
class DataParallelMoeStepTimeModelTest {
    private static final GpuSpec PCIE = new GpuSpec("toy-pcie", "Toy", 1e12, 0, 1L << 30, 1e12, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 8, null, 0, Map.of());
    private static final NcclFactors NCCL = new NcclFactors(0.5, 2_000, 10_000, 100, 0.5);
    private static final RooflineEfficiency EFF = new RooflineEfficiency(
            1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1_000, 0).withNccl(NCCL, NCCL);
    private static final int[] GRAPHS = {1, 2, 4, 8, 16, 24, 32, 40, 48};

    /** 1 µs per token the rank runs at; remembers the token counts the ranks agreed on. */
    private static final class OwnWork implements StepTimeModel {
        final List<Integer> agreed = new ArrayList<>();
        final List<Long> realTokens = new ArrayList<>();

        @Override
        public long stepTimeNs(BatchShape b) {
            agreed.add(b.dpTokens());
            realTokens.add(b.totalTokens());
            return 1000L * (b.dpTokens() > 0 ? b.dpTokens() : b.totalTokens());
        }

        @Override
        public String source() {
            return "own";
        }
    }

    private final OwnWork own = new OwnWork();
    private final List<Double> moeTokens = new ArrayList<>();
    private final MoeLayerTime moe = (tokens, experts) -> {
        moeTokens.add(tokens);
        return tokens;
    };
    private final DataParallelMoeStepTimeModel model = new DataParallelMoeStepTimeModel(own, moe, new MoeSpec(8, 2), 2, 2,
            GRAPHS, new OperatorCosts(PCIE, EFF), 64, 2, "dp2xep2");

    private static BatchShape decodes(int n) {
        BatchShape b = new BatchShape();
        for (int i = 0; i < n; i++) {
            b.addDecode(100);
        }
        return b;
    }

    @Test
    void ncclAllGatherIsHalfARingAllReduce() {
        OperatorCosts c = new OperatorCosts(PCIE, EFF);
        // 5,760 bytes: Simple 10 + 5.76 × 2 = 21.52 µs beats LL 2 + 5.76 × 4 = 25.04 µs; one ring step 0.1 µs.
        assertThat(c.ncclAllGatherUs(5760, 2)).isCloseTo(21.62, within(1e-9));
        assertThat(c.ncclReduceScatterUs(5120, 2)).isCloseTo(20.34, within(1e-9));
        assertThat(c.ncclAllGatherUs(5760, 1)).isZero();
    }

    @Test
    void ranksThatFitCudaGraphsAllRunTheLargestPaddedSize() {
        // 37 and 3 decodes pad to graphs of 40 and 4; the ranks agree on 40 each, so the MoE layer sees
        // 2 × 40 = 80 tokens and the busiest rank receives the other's 40:
        // own 40 µs + 2 layers × (80 + all-gather 21.62 + reduce-scatter 20.34) = 283.92 µs.
        long ns = model.stepTimeNs(new BatchShape[] {decodes(37), decodes(3)});
        assertThat(ns).isEqualTo(283_920L);
        assertThat(own.agreed).containsExactly(40, 40);
        assertThat(moeTokens).containsExactly(80.0);
    }

    @Test
    void anIdleRankRunsAOneTokenDummyPaddedLikeTheOthersAndPaysTheWholeExchange() {
        long withIdle = model.stepTimeNs(new BatchShape[] {decodes(37), new BatchShape()});
        // The dummy (one token) is padded to 40 too: the step costs exactly what it costs with 3 real decodes.
        assertThat(withIdle).isEqualTo(283_920L);
        assertThat(own.agreed).containsExactly(40, 40);
        assertThat(own.realTokens).containsExactly(37L, 1L);
        // Without the exchange the busy rank alone would take 40 µs + 2 × 80 µs: the idle rank's presence
        // costs the group 2 × (21.62 + 20.34) µs of collectives per step.
        assertThat(withIdle - (40_000L + 2 * 80_000L)).isEqualTo(83_920L);
    }

    @Test
    void aBatchLargerThanTheLargestGraphMakesEveryRankRunEager() {
        BatchShape prefill = new BatchShape();
        prefill.addPrefill(100, 0);
        long ns = model.stepTimeNs(new BatchShape[] {prefill, new BatchShape()});
        // Eager at own counts 100 and 1: T = 101, the dummy rank receives 100 tokens:
        // all-gather 10 + 14,400 B × 2 ns + 0.1 = 38.9 µs, reduce-scatter 10 + 12,800 B × 2 ns + 0.1 = 35.7 µs;
        // own 100 µs + 2 × (101 + 38.9 + 35.7) µs = 451.2 µs.
        assertThat(ns).isEqualTo(451_200L);
        assertThat(own.agreed).containsExactly(-1, -1);
        assertThat(moeTokens).containsExactly(101.0);
    }

    @Test
    void oneRankBusyPricesTheOthersAsDummies() {
        StepTimeModel one = model.oneRankBusy();
        assertThat(one.stepTimeNs(decodes(37))).isEqualTo(283_920L);
        assertThat(one.stepTimeNs(new BatchShape())).isZero();
    }
}
