package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The measured vLLM all-reduce, hand-checked against rows of data/aiconfigurator's RTX PRO 6000 table. */
class VllmAllReduceTableTest {
    private static final double MIB = 1024 * 1024;
    private static final VllmAllReduceTable PRO = VllmAllReduceTable.forGpu("rtx_pro_6000_server");

    @Test
    void aMeasuredSizeIsItsRow() {
        // vllm_graph, 2 GPUs, message_size 8,388,608 bf16 elements = 16 MiB: latency 1.11759 ms.
        assertThat(PRO.us(16 * MIB, 2)).isCloseTo(1117.59, within(0.01));
        assertThat(PRO.covers(2)).isTrue();
        assertThat(PRO.covers(4)).isFalse();
    }

    @Test
    void betweenRowsIsLogLogAndOutsideIsLatencyOrBandwidthBound() {
        // 4 MiB: 295.94 µs, 8 MiB: 567.175 µs; at their geometric mean the geometric mean of the times.
        assertThat(PRO.us(Math.sqrt(4 * MIB * 8 * MIB), 2)).isCloseTo(Math.sqrt(295.94 * 567.175), within(0.01));
        // below 256 B (128 elements, 8.73856 µs) the smallest row; above 1 GiB (70,048 µs) in proportion to bytes
        assertThat(PRO.us(16, 2)).isCloseTo(8.73856, within(1e-3));
        assertThat(PRO.us(2048 * MIB, 2)).isCloseTo(2 * 70048.19, within(1.0));
    }

    @Test
    void everyTableInDataIsOnTheClasspath() throws IOException {
        List<Path> tables;
        try (Stream<Path> s = Files.walk(Path.of("data/aiconfigurator/perf"))) {
            tables = s.filter(p -> p.getFileName().toString().equals("custom_allreduce_perf.csv.gz")).toList();
        }
        assertThat(tables).hasSize(6);
        for (Path t : tables) {
            String gpu = t.getParent().getParent().getFileName().toString();
            assertThat(VllmAllReduceTable.forGpu(gpu).resource()).isEqualTo(gpu + "/" + t.getParent().getFileName());
            assertThat(VllmAllReduceTable.forGpu(gpu).covers(2)).isTrue();
        }
        assertThat(VllmAllReduceTable.forGpu("rtx_4090").covers(2)).isFalse();
    }

    /**
     * A TP2 prefill chunk of Qwen3-32B on RTX PRO 6000 (2,048 tokens x 5,120 x 2 bytes = 20 MiB per
     * all-reduce): vLLM's own all-reduce there costs twice the ring model fitted on standalone nccl-tests.
     */
    @Test
    void onRtxPro6000TheServedAllReduceIsTheMeasuredOneAboutTwiceNcclTests() {
        GpuSpec gpu = GpuCatalog.builtin().get("rtx_pro_6000_server");
        OperatorCosts c = new OperatorCosts(gpu, RooflineFactors.builtin().forGpu(gpu));
        double bytes = 2048 * 5120 * 2.0;
        assertThat(c.measuredAllReduce(2)).isTrue();
        assertThat(c.allReduceUs(bytes, 2)).isEqualTo(PRO.us(bytes, 2));
        assertThat(c.allReduceUs(bytes, 2)).isBetween(1117.59, 2213.93);
        assertThat(c.allReduceUs(bytes, 2) / c.modelAllReduceUs(bytes, 2)).isGreaterThan(1.8);
        // 4 GPUs: no vLLM table there, the fitted model (NCCL: more than two PCIe GPUs)
        assertThat(c.measuredAllReduce(4)).isFalse();
        assertThat(c.allReduceUs(bytes, 4)).isEqualTo(c.ncclAllReduceUs(bytes, 4));
    }

    /** GeForce boards have no P2P: vLLM's custom all-reduce is off, NCCL carries even a 1 MiB all-reduce. */
    @Test
    void withoutPeerToPeerEveryAllReduceIsNccl() {
        GpuSpec geforce = GpuCatalog.builtin().get("rtx_4090");
        GpuSpec pro = GpuCatalog.builtin().get("rtx_pro_6000_server");
        assertThat(geforce.gpuP2p()).isFalse();
        assertThat(pro.gpuP2p()).isTrue();
        OperatorCosts c = new OperatorCosts(geforce, RooflineFactors.builtin().forGpu(geforce));
        assertThat(c.usesCustomAllReduce(MIB, 2)).isFalse();
        assertThat(c.allReduceUs(MIB, 2)).isEqualTo(c.ncclAllReduceUs(MIB, 2));
        assertThat(new OperatorCosts(pro, RooflineFactors.builtin().forGpu(pro)).usesCustomAllReduce(MIB, 2)).isTrue();
    }
}
