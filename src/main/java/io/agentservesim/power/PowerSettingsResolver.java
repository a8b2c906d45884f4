package io.agentservesim.power;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.model.ModelShape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Turns the {@code power:} section of a config into {@link PowerSettings}. The GPU is {@code power.gpu}
 * (a catalog id; an unknown id is an error naming {@code power.gpu}) or, when null, inferred from the
 * profile bundle's {@code meta.yaml} {@code hardware} name ({@link ProfileHardware}: an alias table for
 * LLMServingSim's names, RTX4090 → rtx_4090, RTXPRO6000 → rtx_pro_6000_server, else the catalog id equal
 * to the name with case and punctuation ignored, H100_SXM → h100_sxm). When nothing matches, accounting is turned off with
 * a note in the summary rather than failing a run that did not ask for energy by name.
 */
public final class PowerSettingsResolver {
    private PowerSettingsResolver() {
    }

    /**
     * @param configFile      the config (named in errors)
     * @param gpuId           {@code power.gpu}, or null to infer
     * @param gpusPerInstance {@code power.gpus_per_instance}, or null for {@code tensorParallel}
     * @param profileDir      the profile bundle whose meta.yaml names the hardware (may be null)
     */
    public static PowerSettings resolve(Path configFile, boolean enabled, String gpuId, Integer gpusPerInstance,
                                        double hostCpuWatts, double dramPjPerBit, double linkPjPerBit,
                                        ModelShape model, Path profileDir, int tensorParallel, GpuCatalog catalog) {
        if (!enabled) {
            return PowerSettings.off("power.enabled is false");
        }
        nonNegative(configFile, "power.host_cpu_w", hostCpuWatts);
        nonNegative(configFile, "power.dram_pj_per_bit", dramPjPerBit);
        nonNegative(configFile, "power.link_pj_per_bit", linkPjPerBit);
        if (gpusPerInstance != null && gpusPerInstance < 1) {
            throw InputException.at(configFile, "power.gpus_per_instance: expected at least 1, got " + gpusPerInstance);
        }
        GpuSpec gpu;
        if (gpuId != null) {
            if (!catalog.ids().contains(gpuId)) {
                throw InputException.at(configFile, "power.gpu: unknown GPU \"" + gpuId + "\"; expected a catalog id ("
                        + String.join(", ", catalog.ids()) + ") or null to infer it from the profile");
            }
            gpu = catalog.get(gpuId);
        } else {
            String hardware = profileHardware(profileDir);
            String id = hardware == null ? null : match(hardware, catalog);
            if (id == null) {
                return PowerSettings.off("profile hardware " + (hardware == null ? "unknown" : "\"" + hardware + "\"")
                        + " is not in the GPU catalog; set power.gpu to a catalog id");
            }
            gpu = catalog.get(id);
        }
        int gpus = gpusPerInstance != null ? gpusPerInstance : tensorParallel;
        return new PowerSettings(gpu, model, gpus, hostCpuWatts, dramPjPerBit, linkPjPerBit, "");
    }

    /** The catalog GPU that measured a profile bundle (its meta.yaml {@code hardware}), or null. */
    public static GpuSpec profileGpu(Path profileDir, GpuCatalog catalog) {
        String hardware = profileHardware(profileDir);
        String id = hardware == null ? null : match(hardware, catalog);
        return id == null ? null : catalog.get(id);
    }

    /** The catalog id for a profile's hardware name, or null ({@link ProfileHardware}). */
    static String match(String hardware, GpuCatalog catalog) {
        return ProfileHardware.catalogId(hardware, catalog);
    }

    private static String profileHardware(Path profileDir) {
        if (profileDir == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(profileDir.resolve("meta.yaml"))) {
            JsonNode hw = YAMLMapper.builder().build().readTree(in).path("hardware");
            return hw.isString() ? hw.asString() : null;
        } catch (IOException | JacksonException e) {
            return null;
        }
    }

    private static void nonNegative(Path file, String field, double v) {
        if (!Double.isFinite(v) || v < 0) {
            throw InputException.at(file, field + ": expected a non-negative number, got " + v);
        }
    }
}
