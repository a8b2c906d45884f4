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
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The fitted {@link RooflineEfficiency} per GPU, read from {@code roofline-calibration.yaml} (written by
 * {@code asim calibrate}, {@code io.agentservesim.calibrate.CalibrationFile}; shipped on the classpath). A
 * GPU with its own entry gets it; any other GPU gets the {@code default} compute factors with the collective factors pooled over GPUs of its link kind
 * ({@code link_defaults.nvlink | pcie}). Each entry may hold {@code nccl_all_reduce} and
 * {@code nccl_all_to_all} maps ({@link NcclFactors}); an entry without them prices NCCL as one ring with
 * its custom all-reduce link fraction and latency (files written before the NCCL regime).
 */
public final class RooflineFactors {
    private static final String BUILTIN = "/io/agentservesim/hardware/roofline-calibration.yaml";
    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();
    /** The scalar fields of an entry, in {@link RooflineEfficiency#toArray()} order. */
    public static final List<String> FIELDS = List.of(
        "gemm_flop_fraction", "gemm_min_tile_rows", "gemm_bandwidth_fraction", "gemm_overhead_ns",
        "elementwise_bandwidth_fraction", "elementwise_overhead_ns",
        "attention_flop_fraction", "attention_prefill_bandwidth_fraction", "attention_decode_bandwidth_fraction",
        "attention_overhead_ns", "attention_wave_ns", "attention_varlen_wave_ns", "sampler_bandwidth_fraction", "sampler_overhead_ns",
        "link_bandwidth_fraction", "all_reduce_latency_ns", "step_overhead_ns",
        "moe_flop_fraction", "moe_bandwidth_fraction", "moe_sm_bandwidth_gbps");
    /** The fields of an entry's NCCL maps, in {@link NcclFactors#toArray()} order. */
    public static final List<String> NCCL_FIELDS = List.of(
        "link_bandwidth_fraction", "ll_latency_ns", "simple_latency_ns", "step_latency_ns", "fabric_links");
    /** The keys of an entry's NCCL all-reduce and all-to-all maps. */
    public static final String NCCL_ALL_REDUCE = "nccl_all_reduce";
    public static final String NCCL_ALL_TO_ALL = "nccl_all_to_all";

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

    /** Factors from a calibration file's text (as {@code asim calibrate} writes it); {@code origin} names it in errors. */
    public static RooflineFactors parse(String yaml, Path origin) {
        try {
            return parse(MAPPER.readTree(yaml), origin);
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(origin, e);
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
        double[] v = new double[NCCL_FIELDS.size()];
        for (int i = 0; i < NCCL_FIELDS.size(); i++) {
            v[i] = number(node, NCCL_FIELDS.get(i), at, file);
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
        double[] v = new double[FIELDS.size()];
        for (int i = 0; i < FIELDS.size(); i++) {
            v[i] = number(node, FIELDS.get(i), where, file);
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

}
