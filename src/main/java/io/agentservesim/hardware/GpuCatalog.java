package io.agentservesim.hardware;

import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The GPUs a simulation may run on, keyed by id. The built-in catalog is {@code data/hardware/gpus.yaml}
 * (shipped on the classpath); users add their own file in the same format with {@link #load(Path)}.
 * Format: a top-level {@code gpus:} map of id → entry; each entry has the fields of {@link GpuSpec} in
 * snake_case with the unit in the name (see the header of gpus.yaml), all required and positive except
 * {@code fp8_dense_flops} and {@code fp4_dense_flops} (optional, 0 = none) and {@code sources} (optional map of field → citation).
 */
public final class GpuCatalog {
    private static final String BUILTIN = "gpus.yaml";
    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

    private final Map<String, GpuSpec> gpus;
    private final String origin;

    private GpuCatalog(Map<String, GpuSpec> gpus, String origin) {
        this.gpus = Collections.unmodifiableMap(gpus);
        this.origin = origin;
    }

    /** The catalog shipped with the simulator. */
    public static GpuCatalog builtin() {
        try (InputStream in = GpuCatalog.class.getResourceAsStream(BUILTIN)) {
            if (in == null) {
                throw new IllegalStateException("built-in GPU catalog missing from the classpath");
            }
            return parse(MAPPER.readTree(in), Path.of("classpath:io/agentservesim/hardware/" + BUILTIN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A user catalog file in the built-in format. */
    public static GpuCatalog load(Path file) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "GPU catalog not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read GPU catalog: " + e.getMessage());
        } catch (JacksonException e) {
            throw JacksonInputErrors.toInputException(file, e);
        }
        return parse(root, file);
    }

    private static GpuCatalog parse(JsonNode root, Path file) {
        JsonNode list = root == null ? null : root.get("gpus");
        if (list == null || !list.isObject() || list.isEmpty()) {
            throw InputException.at(file, "gpus: expected a non-empty map of GPU id to its specs");
        }
        Map<String, GpuSpec> gpus = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : list.properties()) {
            gpus.put(e.getKey(), new Entry(file, e.getKey(), e.getValue()).toSpec());
        }
        return new GpuCatalog(gpus, file.toString());
    }

    /** The GPU with this id; an unknown id fails with the list of valid ones. */
    public GpuSpec get(String id) {
        GpuSpec spec = gpus.get(id);
        if (spec == null) {
            throw new InputException("unknown GPU \"" + id + "\" in " + origin + "; valid ids: "
                    + String.join(", ", gpus.keySet()));
        }
        return spec;
    }

    public Set<String> ids() {
        return gpus.keySet();
    }

    /** Reads one entry, naming file, id and field in any error. */
    private record Entry(Path file, String id, JsonNode node) {
        GpuSpec toSpec() {
            if (!node.isObject()) {
                throw fail("", "expected a map of GPU specs");
            }
            Map<String, String> sources = new LinkedHashMap<>();
            JsonNode src = node.get("sources");
            if (src != null && !src.isNull()) {
                if (!src.isObject()) {
                    throw fail("sources", "expected a map of field name to citation");
                }
                for (Map.Entry<String, JsonNode> s : src.properties()) {
                    sources.put(s.getKey(), s.getValue().asString());
                }
            }
            return new GpuSpec(id, text("name"), positive("bf16_dense_flops"), optionalNonNegative("fp8_dense_flops"),
                    (long) positive("memory_bytes"), positive("memory_bandwidth_bytes_per_s"),
                    (int) positive("sm_count"), link(), positive("gpu_link_bandwidth_bytes_per_s"),
                    positive("host_link_bandwidth_bytes_per_s"), positive("idle_watts"), positive("tdp_watts"),
                    computeCapability(), optionalNonNegative("fp16_accumulate_dense_flops"), sources, p2p(),
                    optionalNonNegative("fp4_dense_flops"));
        }

        /** Optional gpu_p2p (default true): false where the driver gives the GPUs no peer access. */
        private boolean p2p() {
            JsonNode v = node.get("gpu_p2p");
            if (v == null || v.isNull()) {
                return true;
            }
            if (!v.isBoolean()) {
                throw fail("gpu_p2p", "expected true or false, got " + v);
            }
            return v.asBoolean();
        }

        /** Optional "major.minor" string; absent means unknown (the roofline then assumes FlashAttention-2). */
        private ComputeCapability computeCapability() {
            JsonNode v = node.get("compute_capability");
            if (v == null || v.isNull()) {
                return null;
            }
            ComputeCapability cc = v.isString() ? ComputeCapability.parse(v.asString()) : null;
            if (cc == null) {
                throw fail("compute_capability", "expected a quoted \"major.minor\" such as \"8.9\", got " + v);
            }
            return cc;
        }

        private GpuSpec.GpuLink link() {
            String value = text("gpu_link").toLowerCase(Locale.ROOT);
            return switch (value) {
                case "nvlink" -> GpuSpec.GpuLink.NVLINK;
                case "pcie" -> GpuSpec.GpuLink.PCIE;
                default -> throw fail("gpu_link", "expected nvlink or pcie, got \"" + value + "\"");
            };
        }

        private String text(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw fail(key, "required field is missing");
            }
            if (!v.isString() || v.asString().isBlank()) {
                throw fail(key, "expected a non-blank string, got " + v);
            }
            return v.asString();
        }

        private double positive(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                throw fail(key, "required field is missing (expected a positive number)");
            }
            if (!v.isNumber() || !(v.asDouble() > 0) || Double.isInfinite(v.asDouble())) {
                throw fail(key, "expected a positive number, got " + v);
            }
            return v.asDouble();
        }

        private double optionalNonNegative(String key) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return 0.0;
            }
            if (!v.isNumber() || v.asDouble() < 0 || Double.isInfinite(v.asDouble())) {
                throw fail(key, "expected a non-negative number, got " + v);
            }
            return v.asDouble();
        }

        private InputException fail(String key, String what) {
            return InputException.at(file, "gpus." + id + (key.isEmpty() ? "" : "." + key) + ": " + what);
        }
    }
}
