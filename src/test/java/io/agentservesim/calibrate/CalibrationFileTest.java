package io.agentservesim.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * roofline-calibration.yaml as {@link CalibrationFile} writes it and {@link RooflineFactors} reads it: NCCL
 * entries round-trip, old files still load, bad entries are one-line errors, and a file the calibration did
 * not write is never overwritten.
 */
class CalibrationFileTest {
    @TempDir
    Path tmp;

    private static final GpuCatalog CATALOG = GpuCatalog.builtin();
    private static final GpuSpec H100 = CATALOG.get("h100_sxm");
    private static final GpuSpec L4 = CATALOG.get("l4");
    private static final RooflineEfficiency BASE = new RooflineEfficiency(
            0.9, 16, 0.8, 4000, 1.5, 2000, 0.7, 1, 0.9, 9000, 2000, 0.6, 16000, 0.5, 5000, 0);
    private static final NcclFactors AR = new NcclFactors(0.75, 5000, 22000, 800, 0);
    private static final NcclFactors A2A = new NcclFactors(0.625, 8500, 13000, 12.5, 0);
    private static final NcclFactors PCIE_AR = new NcclFactors(0.5, 2500, 25000, 1750, 1.25);

    private Path write(String yaml) throws IOException {
        Path f = tmp.resolve("calibration.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static String shipped() {
        RooflineEfficiency nvlink = BASE.withLink(0.375, 5500).withNccl(AR, A2A);
        RooflineEfficiency pcie = BASE.withLink(0.25, 8500).withNccl(PCIE_AR, PCIE_AR);
        return CalibrationFile.toYaml(BASE, nvlink, pcie, Map.of("h100_sxm", BASE.withNccl(AR, A2A)), List.of(), List.of(),
                new CalibrationData(Path.of("data")));
    }

    @Test
    void ncclFactorsRoundTripPerGpuAndPerLinkKind() throws IOException {
        RooflineFactors f = RooflineFactors.load(write(shipped()));
        assertThat(f.forGpu(H100)).isEqualTo(BASE.withNccl(AR, A2A));
        RooflineEfficiency l4 = f.forGpu(L4);
        assertThat(l4.linkBandwidthFraction()).isEqualTo(0.25);
        assertThat(l4.ncclAllReduce()).isEqualTo(PCIE_AR);
        assertThat(l4.allToAll()).isEqualTo(PCIE_AR);
    }

    @Test
    void aFileWithoutNcclEntriesPricesNcclAsItsCustomRing() throws IOException {
        String old = shipped().lines().filter(l -> !l.contains("nccl_all_")).map(l -> l + "\n")
                .reduce("", String::concat)
                .replace("  nvlink:\n    link_bandwidth_fraction: 0.3750\n    all_reduce_latency_ns: 5500\n",
                        "  nvlink: {link_bandwidth_fraction: 0.3750, all_reduce_latency_ns: 5500}\n");
        assertThat(old).contains("nvlink: {link_bandwidth_fraction").doesNotContain("nccl_all_");
        RooflineFactors f = RooflineFactors.load(write(old));
        assertThat(f.forGpu(H100)).isEqualTo(BASE);
        assertThat(f.forGpu(H100).ncclAllReduce()).isEqualTo(NcclFactors.ring(0.5, 5000));
        assertThat(f.forGpu(CATALOG.get("a100_sxm")).allToAll()).isEqualTo(NcclFactors.ring(0.375, 5500));
    }

    /** {@code yaml} with the first {@code from} after "gpus:" replaced by {@code to}. */
    private static String inGpus(String yaml, String from, String to) {
        int at = yaml.indexOf("\ngpus:");
        return yaml.substring(0, at) + yaml.substring(at).replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to));
    }

    private void assertOneLineError(String yaml, String... parts) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> RooflineFactors.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContainingAll(parts)
                .message().doesNotContain("\n");
    }

    @Test
    void anNcclFractionOutOfRangeNamesItsEntry() throws IOException {
        assertOneLineError(inGpus(shipped(), "    nccl_all_reduce: {link_bandwidth_fraction: 0.7500",
                "    nccl_all_reduce: {link_bandwidth_fraction: 2.000"),
                "gpus.h100_sxm.nccl_all_reduce: link_bandwidth_fraction must be in (0, 1.5], got 2.0");
    }

    @Test
    void aMissingOrNonNumericNcclFieldNamesItsPath() throws IOException {
        assertOneLineError(inGpus(shipped(), "step_latency_ns: 12.50, ", ""),
                "gpus.h100_sxm.nccl_all_to_all.step_latency_ns: expected a number");
        assertOneLineError(shipped().replace("fabric_links: 1.250", "fabric_links: wide"),
                "link_defaults.pcie.nccl_all_reduce.fabric_links: expected a number");
    }

    @Test
    void anNcclEntryThatIsNotAMapOrIsNegativeIsRefused() throws IOException {
        String yaml = shipped();
        int at = yaml.indexOf("  nvlink:");
        int line = yaml.indexOf("    nccl_all_to_all:", at);
        String bad = yaml.substring(0, line) + "    nccl_all_to_all: fast\n" + yaml.substring(yaml.indexOf('\n', line) + 1);
        assertOneLineError(bad, "link_defaults.nvlink.nccl_all_to_all: expected a map of link_bandwidth_fraction");
        assertOneLineError(yaml.replace("ll_latency_ns: 2500", "ll_latency_ns: -1"),
                "link_defaults.pcie.nccl_all_reduce: ll_latency_ns must be >= 0, got -1.0");
    }

    @Test
    void writeReplacesItsOwnFileAndRefusesAFileItDidNotWrite() throws IOException {
        Path file = tmp.resolve("hardware/roofline-calibration.yaml");
        CalibrationFile.write(file, shipped());
        assertThat(Files.readString(file)).isEqualTo(shipped());
        String changed = shipped().replace("gemm_flop_fraction: 0.9000", "gemm_flop_fraction: 0.8000");
        CalibrationFile.write(file, changed);
        assertThat(RooflineFactors.load(file).defaults().gemmFlopFraction()).isEqualTo(0.8);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);   // no temporary file left behind
        }
        Path mine = write("# my own factors\ndefault: {}\n");
        assertThatThrownBy(() -> CalibrationFile.write(mine, shipped()))
                .isInstanceOf(InputException.class).hasMessageContaining("not written by asim calibrate");
        assertThat(Files.readString(mine)).isEqualTo("# my own factors\ndefault: {}\n");
    }

    @Test
    void parsedTextGivesTheSameFactorsAsTheFile() throws IOException {
        Path file = write(shipped());
        assertThat(RooflineFactors.parse(shipped(), file).forGpu(H100)).isEqualTo(RooflineFactors.load(file).forGpu(H100));
        assertThat(RooflineFactors.parse(shipped(), file).forGpu(L4)).isEqualTo(RooflineFactors.load(file).forGpu(L4));
    }
}
