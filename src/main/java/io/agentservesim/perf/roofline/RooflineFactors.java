package io.agentservesim.perf.roofline;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import io.agentservesim.hardware.GpuSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The fitted {@link RooflineEfficiency} per GPU, read from {@code roofline-calibration.yaml} (written by
 * {@link RooflineCalibration}, shipped on the classpath). A GPU with its own entry gets it; any other GPU
 * gets the {@code default} compute factors with the collective factors pooled over GPUs of its link kind
 * ({@code link_defaults.nvlink | pcie}). Each entry may hold {@code nccl_all_reduce} and
 * {@code nccl_all_to_all} maps ({@link NcclFactors}); an entry without them prices NCCL as one ring with
 * its custom all-reduce link fraction and latency (files written before the NCCL regime).
 */
public final class RooflineFactors {
    private static final String BUILTIN = "/io/agentservesim/hardware/roofline-calibration.yaml";
    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
    private static final String[] FIELDS = {
        "gemm_flop_fraction", "gemm_min_tile_rows", "gemm_bandwidth_fraction", "gemm_overhead_ns",
        "elementwise_bandwidth_fraction", "elementwise_overhead_ns",
        "attention_flop_fraction", "attention_prefill_bandwidth_fraction", "attention_decode_bandwidth_fraction",
        "attention_overhead_ns", "attention_wave_ns", "attention_varlen_wave_ns", "sampler_bandwidth_fraction", "sampler_overhead_ns",
        "link_bandwidth_fraction", "all_reduce_latency_ns", "step_overhead_ns",
        "moe_flop_fraction", "moe_bandwidth_fraction", "moe_sm_bandwidth_gbps"};
    private static final String[] NCCL_FIELDS = {
        "link_bandwidth_fraction", "ll_latency_ns", "simple_latency_ns", "step_latency_ns", "fabric_links"};
    private static final String NCCL_ALL_REDUCE = "nccl_all_reduce";
    private static final String NCCL_ALL_TO_ALL = "nccl_all_to_all";

    private final RooflineEfficiency base;
    private final RooflineEfficiency nvlink;
    private final RooflineEfficiency pcie;
    private final Map<String, RooflineEfficiency> perGpu;

    private RooflineFactors(RooflineEfficiency base, RooflineEfficiency nvlink, RooflineEfficiency pcie,
            Map<String, RooflineEfficiency> perGpu) {
        this.base = base;
        this.nvlink = nvlink;
        this.pcie = pcie;
        this.perGpu = Map.copyOf(perGpu);
    }

    public static RooflineFactors builtin() {
        try (InputStream in = RooflineFactors.class.getResourceAsStream(BUILTIN)) {
            if (in == null) {
                throw new IllegalStateException("roofline calibration missing from the classpath");
            }
            return parse(MAPPER.readTree(in), Path.of("classpath:" + BUILTIN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RooflineFactors load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(MAPPER.readTree(in), file);
        } catch (IOException e) {
            throw InputException.at(file, "cannot read roofline calibration: " + e.getMessage());
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(file, e);
        }
    }

    /** The {@code default} entry: what a GPU without its own entry gets (its link factors aside). */
    public RooflineEfficiency defaults() {
        return base;
    }

        /** The factors for this GPU. */
    public RooflineEfficiency forGpu(GpuSpec gpu) {
        RooflineEfficiency own = perGpu.get(gpu.id());
        if (own != null) {
            return own;
        }
        RooflineEfficiency link = gpu.gpuLink() == GpuSpec.GpuLink.NVLINK ? nvlink : pcie;
        return base.withLink(link.linkBandwidthFraction(), link.allReduceLatencyNs())
                .withNccl(link.ncclAllReduce(), link.allToAll());
    }

    private static RooflineFactors parse(JsonNode root, Path file) {
        RooflineEfficiency base = entry(root, "default", "default", file);
        RooflineEfficiency nvlink = link(root, "nvlink", base, file);
        RooflineEfficiency pcie = link(root, "pcie", base, file);
        Map<String, RooflineEfficiency> perGpu = new LinkedHashMap<>();
        JsonNode gpus = root.get("gpus");
        if (gpus != null && gpus.isObject()) {
            for (Map.Entry<String, JsonNode> e : gpus.properties()) {
                perGpu.put(e.getKey(), entry(gpus, e.getKey(), "gpus." + e.getKey(), file));
            }
        }
        return new RooflineFactors(base, nvlink, pcie, perGpu);
    }

    private static RooflineEfficiency link(JsonNode root, String kind, RooflineEfficiency base, Path file) {
        JsonNode node = root.path("link_defaults").get(kind);
        if (node == null) {
            return base;
        }
        String where = "link_defaults." + kind;
        double f = number(node, "link_bandwidth_fraction", where, file);
        double l = number(node, "all_reduce_latency_ns", where, file);
        try {
            return withNccl(base.withLink(f, l), node, where, file);
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, where + ": " + e.getMessage());
        }
    }

    /** {@code e} with the NCCL maps of {@code node}, each absent one as one ring with e's link factors. */
    private static RooflineEfficiency withNccl(RooflineEfficiency e, JsonNode node, String where, Path file) {
        NcclFactors ring = NcclFactors.ring(e.linkBandwidthFraction(), e.allReduceLatencyNs());
        return e.withNccl(nccl(node, NCCL_ALL_REDUCE, ring, where, file), nccl(node, NCCL_ALL_TO_ALL, ring, where, file));
    }

    private static NcclFactors nccl(JsonNode parent, String key, NcclFactors absent, String where, Path file) {
        JsonNode node = parent.get(key);
        if (node == null) {
            return absent;
        }
        String at = where + "." + key;
        if (!node.isObject()) {
            throw InputException.at(file, at + ": expected a map of " + String.join(", ", NCCL_FIELDS));
        }
        double[] v = new double[NCCL_FIELDS.length];
        for (int i = 0; i < NCCL_FIELDS.length; i++) {
            v[i] = number(node, NCCL_FIELDS[i], at, file);
        }
        try {
            return NcclFactors.fromArray(v);
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, at + ": " + e.getMessage());
        }
    }

    /** The entry {@code key} of {@code parent}; {@code where} is its dotted path for messages. */
    private static RooflineEfficiency entry(JsonNode parent, String key, String where, Path file) {
        JsonNode node = parent.get(key);
        if (node == null || !node.isObject()) {
            throw InputException.at(file, where + ": expected a map of roofline factors");
        }
        double[] v = new double[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            v[i] = number(node, FIELDS[i], where, file);
        }
        RooflineEfficiency e;
        try {
            e = RooflineEfficiency.fromArray(v);
        } catch (IllegalArgumentException ex) {
            throw InputException.at(file, where + ": " + ex.getMessage());
        }
        return withNccl(e, node, where, file);
    }

    private static double number(JsonNode node, String field, String where, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isNumber()) {
            throw InputException.at(file, where + "." + field + ": expected a number");
        }
        return v.asDouble();
    }

    /** The calibration file's text. */
    static String toYaml(RooflineEfficiency base, RooflineEfficiency nvlink, RooflineEfficiency pcie,
            Map<String, RooflineEfficiency> perGpu, List<MeasuredBundle> bundles, List<GpuData> gpus) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Roofline efficiency factors, fitted by io.agentservesim.perf.roofline.RooflineCalibration.\n")
                .append("# Regenerate: see VALIDATION.md (Roofline step times). Do not edit by hand.\n")
                .append("# Compute factors fitted on the LLMServingSim operator profiles:\n");
        for (MeasuredBundle b : bundles) {
            sb.append("#   ").append(b.name()).append(" (").append(b.gpuId()).append(")\n");
        }
        sb.append("# and on NVIDIA AIConfigurator vLLM kernel tables (bf16 GEMM, context and generation attention):\n");
        for (GpuData g : gpus) {
            if (g.tables() != null) {
                sb.append("#   ").append(g.tables().dir().toString().replace('\\', '/')).append('\n');
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
        for (int i = 0; i < FIELDS.length; i++) {
            sb.append(indent).append(FIELDS[i]).append(": ").append(fmt(v[i])).append('\n');
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
        ncclMap(sb, indent, NCCL_ALL_REDUCE, e.ncclAllReduce());
        ncclMap(sb, indent, NCCL_ALL_TO_ALL, e.allToAll());
    }

    private static void ncclMap(StringBuilder sb, String indent, String key, NcclFactors f) {
        double[] v = f.toArray();
        sb.append(indent).append(key).append(": {");
        for (int i = 0; i < NCCL_FIELDS.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(NCCL_FIELDS[i]).append(": ").append(fmt(v[i]));
        }
        sb.append("}\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
