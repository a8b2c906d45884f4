package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The all-reduce regime switch and the NCCL cost form on toy GPUs whose link moves one byte per ns. */
class CollectiveCostsTest {
    private static final GpuSpec NVLINK = new GpuSpec("toy-nvlink", "Toy", 1e12, 0, 1L << 30, 1e12, 4,
            GpuSpec.GpuLink.NVLINK, 1e9, 1e9, 1, 8, null, 0, Map.of());
    private static final GpuSpec PCIE = new GpuSpec("toy-pcie", "Toy", 1e12, 0, 1L << 30, 1e12, 4,
            GpuSpec.GpuLink.PCIE, 1e9, 1e9, 1, 8, null, 0, Map.of());
    /** Custom all-reduce: full link, 1 µs. */
    private static final RooflineEfficiency CUSTOM = new RooflineEfficiency(
            1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1_000, 0);
    /** NCCL: half the link with Simple, LL 2 µs, Simple 10 µs, 0.1 µs per step, fabric of half a link. */
    private static final NcclFactors NCCL = new NcclFactors(0.5, 2_000, 10_000, 100, 0.5);
    private static final RooflineEfficiency EFF = CUSTOM.withNccl(NCCL, NCCL);
    private static final double MIB8 = OperatorCosts.CUSTOM_ALL_REDUCE_MAX_BYTES;

    @Test
    void vllmRunsItsCustomAllReduceBelowEightMibAndNcclFromThere() {
        OperatorCosts c = new OperatorCosts(NVLINK, EFF);
        assertThat(MIB8).isEqualTo(8 * 1024 * 1024);
        double below = MIB8 - 16;
        assertThat(c.usesCustomAllReduce(below, 8)).isTrue();
        assertThat(c.usesCustomAllReduce(MIB8, 8)).isFalse();
        // custom: 2·7/8 × bytes at 1 B/ns + 1 µs
        assertThat(c.allReduceUs(below, 8)).isCloseTo(1.75 * below * 1e-3 + 1, within(1e-9));
        // NCCL: 14 ring steps × 0.1 µs + Simple (10 µs + 1.75 × bytes at 0.5 B/ns); NVLink: no fabric term
        assertThat(c.allReduceUs(MIB8, 8)).isCloseTo(1.4 + 10 + 1.75 * MIB8 / 0.5 * 1e-3, within(1e-9));
    }

    @Test
    void customAllReduceOnlyForSupportedWorldSizesAndTwoPcieGpus() {
        OperatorCosts nvlink = new OperatorCosts(NVLINK, EFF);
        OperatorCosts pcie = new OperatorCosts(PCIE, EFF);
        assertThat(nvlink.usesCustomAllReduce(1024, 4)).isTrue();
        assertThat(nvlink.usesCustomAllReduce(1024, 3)).isFalse();
        assertThat(pcie.usesCustomAllReduce(1024, 2)).isTrue();
        assertThat(pcie.usesCustomAllReduce(1024, 4)).isFalse();
        assertThat(pcie.allReduceUs(1024, 2)).isCloseTo(1024 * 1e-3 + 1, within(1e-9));
        assertThat(pcie.allReduceUs(1024, 4)).isEqualTo(pcie.ncclAllReduceUs(1024, 4));
        assertThat(pcie.allReduceUs(1024, 1)).isZero();
    }

    @Test
    void withoutP2pAccessTwoPcieGpusRunNcclAsVllmsP2pCheckFails() {
        OperatorCosts noP2p = new OperatorCosts(PCIE.withP2p(false), EFF);
        assertThat(noP2p.usesCustomAllReduce(1024, 2)).isFalse();
        // 1000 B over 2 GPUs on NCCL: LL 2 µs + 1000 B at 0.25 B/ns = 6 µs, plus 2 ring steps x 0.1 µs
        assertThat(noP2p.allReduceUs(1000, 2)).isCloseTo(6.2, within(1e-9));
        // with P2P the custom kernel: 1000 B at 1 B/ns + 1 µs
        assertThat(new OperatorCosts(PCIE, EFF).allReduceUs(1000, 2)).isCloseTo(2.0, within(1e-9));
        assertThat(new OperatorCosts(NVLINK.withP2p(false), EFF).usesCustomAllReduce(1024, 8)).isFalse();
    }

    @Test
    void geforceCatalogEntriesHaveNoP2pAndDataCentreOnesDo() {
        io.agentservesim.hardware.GpuCatalog catalog = io.agentservesim.hardware.GpuCatalog.builtin();
        assertThat(catalog.get("rtx_4090").gpuP2p()).isFalse();
        assertThat(catalog.get("rtx_5090").gpuP2p()).isFalse();
        assertThat(catalog.get("rtx_pro_6000_server").gpuP2p()).isTrue();
        assertThat(catalog.get("h100_sxm").gpuP2p()).isTrue();
    }

    @Test
    void ncclPicksTheFasterProtocolAddsRingStepsAndTheSharedPcieFabric() {
        OperatorCosts c = new OperatorCosts(NVLINK, EFF);
        // 1000 B over 2 GPUs: wire 1000 B; LL 2 + 1000 B at 0.25 B/ns = 6 µs beats Simple 10 + 2 = 12 µs; 2 steps
        assertThat(c.ncclAllReduceUs(1000, 2)).isCloseTo(6.2, within(1e-9));
        // 1 MB: Simple 10 + 2000 µs beats LL 2 + 4000 µs
        assertThat(c.ncclAllReduceUs(1e6, 2)).isCloseTo(2010.2, within(1e-9));
        OperatorCosts pcie = new OperatorCosts(PCIE, EFF);
        // 4 PCIe GPUs, 1 MB: wire 1.5 MB; Simple 10 + 3000 µs, but the fabric carries 4 × 1.5 MB at 0.5 B/ns = 12 ms
        assertThat(pcie.ncclAllReduceUs(1e6, 4)).isCloseTo(0.6 + 12_000, within(1e-9));
        // 2 PCIe GPUs share one switch: no fabric term
        assertThat(pcie.ncclAllReduceUs(1e6, 2)).isCloseTo(2010.2, within(1e-9));
    }

    @Test
    void allToAllSendsTheOtherRanksShareToAllPeersAtOnce() {
        OperatorCosts c = new OperatorCosts(NVLINK, EFF);
        // 1 MB buffer over 4 GPUs: 3/4 crosses the link; Simple 10 + 0.75 MB at 0.5 B/ns = 1510 µs; 3 peers × 0.1
        assertThat(c.allToAllUs(1e6, 4)).isCloseTo(1510.3, within(1e-9));
        assertThat(c.allToAllUs(1e6, 1)).isZero();
        // pipeline send: one peer, all bytes on the link
        assertThat(c.p2pUs(1e6)).isCloseTo(0.1 + 10 + 2000, within(1e-9));
    }

    @Test
    void factorsWithoutNcclEntriesPriceEveryRegimeAsTheOldRing() {
        OperatorCosts c = new OperatorCosts(NVLINK, CUSTOM);
        double big = 4 * MIB8;
        assertThat(c.allReduceUs(big, 8)).isCloseTo(1.75 * big * 1e-3 + 1, within(1e-9));
        assertThat(c.allReduceUs(big, 8)).isEqualTo(c.customAllReduceUs(big, 8));
        assertThat(c.allToAllUs(1e6, 4)).isCloseTo(0.75 * 1e6 * 1e-3 + 1, within(1e-9));
        assertThat(c.p2pUs(1e6)).isCloseTo(1e6 * 1e-3 + 1, within(1e-9));
    }
}
