package io.agentservesim.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpuCatalogTest {
    private static final String ENTRY = """
            gpus:
              my_gpu:
                name: Made-up GPU
                bf16_dense_flops: 100.0e12
                memory_bytes: 1000
                memory_bandwidth_bytes_per_s: %s
                sm_count: 10
                gpu_link: pcie
                gpu_link_bandwidth_bytes_per_s: 32.0e9
                host_link_bandwidth_bytes_per_s: 32.0e9
                idle_watts: 10
                %s
            """;

    @ParameterizedTest
    @ValueSource(strings = {"a100_sxm", "a100_sxm_40gb", "h100_sxm", "h100_pcie", "h200_sxm", "b200_sxm", "l4", "l40s",
        "rtx_a5000", "rtx_a6000", "rtx_3090", "rtx_4090", "rtx_5090", "rtx_pro_6000_server"})
    void builtinHasEveryRequiredGpuWithPositiveSpecsAndSources(String id) {
        GpuSpec g = GpuCatalog.builtin().get(id);
        assertThat(g.id()).isEqualTo(id);
        assertThat(g.bf16DenseFlops()).isPositive();
        assertThat(g.fp8DenseFlops()).isNotNegative();
        assertThat(g.memoryBytes()).isPositive();
        assertThat(g.memoryBandwidth()).isPositive();
        assertThat(g.smCount()).isPositive();
        assertThat(g.gpuLinkBandwidth()).isPositive();
        assertThat(g.hostLinkBandwidth()).isPositive();
        assertThat(g.idleWatts()).isPositive().isLessThan(g.tdpWatts());
        assertThat(g.sources()).containsKeys("bf16_dense_flops", "memory_bandwidth_bytes_per_s", "sm_count", "tdp_watts");
    }

    @Test
    void h100MatchesItsDatasheet() {
        GpuSpec h100 = GpuCatalog.builtin().get("h100_sxm");
        assertThat(h100.bf16DenseFlops()).isEqualTo(989e12);
        assertThat(h100.fp8DenseFlops()).isEqualTo(1978e12);
        assertThat(h100.memoryBandwidth()).isEqualTo(3.35e12);
        assertThat(h100.memoryBytes()).isEqualTo(80L << 30);
        assertThat(h100.gpuLink()).isEqualTo(GpuSpec.GpuLink.NVLINK);
        assertThat(GpuCatalog.builtin().get("a100_sxm").hasFp8()).isFalse();
    }

    @Test
    void unknownIdListsTheValidOnes() {
        assertThatThrownBy(() -> GpuCatalog.builtin().get("h100"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("unknown GPU \"h100\"")
                .hasMessageContaining("h100_sxm, h100_pcie")
                .hasMessageContaining("rtx_4090");
    }

    @Test
    void userCatalogLoads(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"), ENTRY.formatted("2.0e12", "tdp_watts: 300"));
        GpuSpec g = GpuCatalog.load(file).get("my_gpu");
        assertThat(g.memoryBandwidth()).isEqualTo(2.0e12);
        assertThat(g.tdpWatts()).isEqualTo(300);
        assertThat(g.fp8DenseFlops()).isZero();
        assertThat(g.computeCapability()).isNull();
    }

    @Test
    void computeCapabilityIsReadAndAMalformedOneNamesTheField(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"),
                ENTRY.formatted("2.0e12", "tdp_watts: 300\n    compute_capability: \"8.9\""));
        assertThat(GpuCatalog.load(good).get("my_gpu").computeCapability()).isEqualTo(new ComputeCapability(8, 9));
        Path bad = Files.writeString(dir.resolve("bad.yaml"),
                ENTRY.formatted("2.0e12", "tdp_watts: 300\n    compute_capability: \"8,9\""));
        assertThatThrownBy(() -> GpuCatalog.load(bad))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(bad.toString())
                .hasMessageContaining("gpus.my_gpu.compute_capability: expected a quoted \"major.minor\"");
    }

    @Test
    void builtinComputeCapabilitiesMatchTheArchitectures() {
        GpuCatalog c = GpuCatalog.builtin();
        assertThat(c.get("a100_sxm").computeCapability()).hasToString("8.0");
        assertThat(c.get("rtx_4090").computeCapability()).hasToString("8.9");
        assertThat(c.get("h100_sxm").computeCapability()).hasToString("9.0");
        assertThat(c.get("b200_sxm").computeCapability()).hasToString("10.0");
        assertThat(c.get("rtx_pro_6000_server").computeCapability()).hasToString("12.0");
        for (String id : c.ids()) {
            assertThat(c.get(id).computeCapability()).as(id).isNotNull();
        }
    }

    @Test
    void geforcePartsFeedTheirTensorCoresForTwiceTheirBf16Rate() {
        GpuCatalog c = GpuCatalog.builtin();
        // Ada whitepaper: RTX 4090 runs FP16-accumulate tensor math at 330.3 TFLOP/s, FP32-accumulate at 165.2.
        assertThat(c.get("rtx_4090").tensorFeedFlops()).isEqualTo(330.3e12);
        assertThat(c.get("rtx_3090").tensorFeedFlops()).isEqualTo(2 * c.get("rtx_3090").bf16DenseFlops());
        assertThat(c.get("rtx_5090").tensorFeedFlops()).isEqualTo(2 * c.get("rtx_5090").bf16DenseFlops());
        // Data-centre and workstation parts run both at one rate.
        for (String id : new String[] {"a100_sxm", "h100_sxm", "b200_sxm", "l40s", "rtx_a6000", "rtx_pro_6000_server"}) {
            assertThat(c.get(id).tensorFeedFlops()).as(id).isEqualTo(c.get(id).bf16DenseFlops());
        }
    }

    @Test
    void aNegativeFp16AccumulateRateNamesTheField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"),
                ENTRY.formatted("2.0e12", "tdp_watts: 300\n    fp16_accumulate_dense_flops: -1"));
        assertThatThrownBy(() -> GpuCatalog.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gpus.my_gpu.fp16_accumulate_dense_flops: expected a non-negative number");
    }

    @Test
    void missingFieldNamesFileAndField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"), ENTRY.formatted("2.0e12", ""));
        assertThatThrownBy(() -> GpuCatalog.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gpus.my_gpu.tdp_watts: required field is missing");
    }

    @Test
    void negativeBandwidthNamesFileAndField(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.yaml"), ENTRY.formatted("-1.0e12", "tdp_watts: 300"));
        assertThatThrownBy(() -> GpuCatalog.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("gpus.my_gpu.memory_bandwidth_bytes_per_s: expected a positive number");
    }

    @Test
    void missingFileIsAnInputError(@TempDir Path dir) {
        assertThatThrownBy(() -> GpuCatalog.load(dir.resolve("none.yaml")))
                .isInstanceOf(InputException.class).hasMessageContaining("GPU catalog not found");
    }
}
