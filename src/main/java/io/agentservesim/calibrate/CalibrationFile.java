package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code roofline-calibration.yaml}, the file {@link RooflineFactors} reads at run time, in its
 * field names and order ({@link RooflineFactors#FIELDS}, {@link RooflineFactors#NCCL_FIELDS}); every
 * number with four significant digits. The file is replaced atomically, and only if it is absent or was
 * written by this class (its first line is {@link #HEADER}): a file a person wrote is never overwritten.
 */
public final class CalibrationFile {
    /** The first line of every file this class writes. */
    static final String HEADER = "# Roofline efficiency factors, fitted by `asim calibrate` (io.agentservesim.calibrate).";
    /** The first line of the files written before the calibration moved to its own package. */
    private static final String OLD_HEADER = "# Roofline efficiency factors, fitted by io.agentservesim.perf.roofline.RooflineCalibration.";

    private CalibrationFile() {
    }

    /**
     * Fails with an {@link InputException} unless {@code file} is absent or was written by this class (its
     * first line is {@link #HEADER}, or the header of the files written before the move).
     */
    public static void requireReplaceable(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        String first;
        try (var lines = Files.lines(file)) {
            first = lines.findFirst().orElse("");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw InputException.at(file, "cannot read the existing calibration: " + e.getMessage());
        }
        if (!first.equals(HEADER) && !first.equals(OLD_HEADER)) {
            throw InputException.at(file, "not written by asim calibrate (first line is not its header); not overwritten");
        }
    }

    /**
     * Replaces {@code file} with {@code text} (a temporary file in the same folder, then an atomic move), or
     * refuses with an {@link InputException} if an existing file was not written by
     * the calibration.
     */
    public static void write(Path file, String text) {
        requireReplaceable(file);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".roofline-calibration", ".tmp");
            try {
                Files.writeString(tmp, text);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw InputException.at(file, "cannot write the calibration: " + e.getMessage());
        }
    }

    /**
     * The calibration file's text: a header naming every input, the {@code default} entry, the link-kind
     * defaults and one entry per GPU of {@code perGpu} (in its order). {@code data} labels the input paths.
     */
    static String toYaml(RooflineEfficiency base, RooflineEfficiency nvlink, RooflineEfficiency pcie,
            Map<String, RooflineEfficiency> perGpu, List<MeasuredBundle> bundles, List<GpuData> gpus,
            CalibrationData data) {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n')
                .append("# Regenerate: bin/asim calibrate (see VALIDATION.md, Roofline step times). Do not edit by hand.\n")
                .append("# Compute factors fitted on the LLMServingSim operator profiles:\n");
        for (MeasuredBundle b : bundles) {
            sb.append("#   ").append(b.name()).append(" (").append(b.gpuId()).append(")\n");
        }
        sb.append("# and on NVIDIA AIConfigurator vLLM kernel tables (bf16 GEMM, context and generation attention):\n");
        for (GpuData g : gpus) {
            if (g.tables() != null) {
                sb.append("#   ").append(data.label(g.tables().dir())).append('\n');
            }
        }
        sb.append("# MoE factors fitted on NVIDIA AIConfigurator moe_perf tables (vllm_fused_moe, bf16, Qwen3-30B-A3B\n"
                + "# expert shape, balanced, moe_tp 1, EP 1/2/4/8, 1..8192 tokens) and the bundles' moe.csv rows; table\n"
                + "# rows measured faster than their ideal roofline (cache-resident in the benchmark) are left out. A100 and\n"
                + "# L40S have no balanced rows: their own entries refit the MoE factors on their power-law EP 1 rows.\n");
        sb.append("# Collectives: link_bandwidth_fraction / all_reduce_latency_ns = vLLM's custom all-reduce, fitted on the\n")
                .append("# rows of NVIDIA AIConfigurator custom_allreduce_perf (vllm_graph, bf16) where vLLM runs it (< 8 MiB;\n")
                .append("# NVLink, or 2 PCIe GPUs); nccl_all_reduce / nccl_all_to_all fitted on AIConfigurator nccl_perf\n")
                .append("# (nccl-tests all_reduce_perf / alltoall_perf, half). link_defaults: geometric means per link kind.\n")
                .append("# default: fitted on every GPU, each weighted equally; gpus.<id>: refitted on that GPU's own data\n"
                        + "# (classes it has no rows for, e.g. elementwise on AIConfigurator-only GPUs, keep the default).\n");
        sb.append("default:\n");
        fields(sb, base, "  ");
        sb.append("link_defaults:\n");
        linkDefault(sb, "nvlink", nvlink);
        linkDefault(sb, "pcie", pcie);
        sb.append("gpus:\n");
        for (Map.Entry<String, RooflineEfficiency> e : perGpu.entrySet()) {
            sb.append("  ").append(e.getKey()).append(":\n");
            fields(sb, e.getValue(), "    ");
        }
        return sb.toString();
    }

    private static void fields(StringBuilder sb, RooflineEfficiency e, String indent) {
        double[] v = e.toArray();
        for (int i = 0; i < RooflineFactors.FIELDS.size(); i++) {
            sb.append(indent).append(RooflineFactors.FIELDS.get(i)).append(": ").append(fmt(v[i])).append('\n');
        }
        ncclFields(sb, e, indent);
    }

    private static void linkDefault(StringBuilder sb, String kind, RooflineEfficiency e) {
        sb.append("  ").append(kind).append(":\n")
                .append("    link_bandwidth_fraction: ").append(fmt(e.linkBandwidthFraction())).append('\n')
                .append("    all_reduce_latency_ns: ").append(fmt(e.allReduceLatencyNs())).append('\n');
        ncclFields(sb, e, "    ");
    }

    private static void ncclFields(StringBuilder sb, RooflineEfficiency e, String indent) {
        ncclMap(sb, indent, RooflineFactors.NCCL_ALL_REDUCE, e.ncclAllReduce());
        ncclMap(sb, indent, RooflineFactors.NCCL_ALL_TO_ALL, e.allToAll());
    }

    private static void ncclMap(StringBuilder sb, String indent, String key, NcclFactors f) {
        double[] v = f.toArray();
        sb.append(indent).append(key).append(": {");
        for (int i = 0; i < RooflineFactors.NCCL_FIELDS.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(RooflineFactors.NCCL_FIELDS.get(i)).append(": ").append(fmt(v[i]));
        }
        sb.append("}\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
