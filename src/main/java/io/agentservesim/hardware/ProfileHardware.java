package io.agentservesim.hardware;

import java.util.Locale;
import java.util.Map;

/**
 * The catalog GPU of an LLMServingSim hardware name (a profile bundle's {@code meta.yaml} {@code hardware},
 * the names of its {@code perf/} and {@code runs/} folders): an alias table for its own names
 * (RTX4090 → rtx_4090, RTXPRO6000 → rtx_pro_6000_server), else the catalog id equal to the name with case
 * and punctuation ignored (H100_SXM → h100_sxm).
 */
public final class ProfileHardware {
    private static final Map<String, String> ALIASES = Map.of(
            "rtx4090", "rtx_4090",
            "rtxpro6000", "rtx_pro_6000_server");

    private ProfileHardware() {
    }

    /** The catalog id for {@code hardware}, or null when nothing in {@code catalog} matches. */
    public static String catalogId(String hardware, GpuCatalog catalog) {
        String key = normalise(hardware);
        String alias = ALIASES.get(key);
        if (alias != null && catalog.ids().contains(alias)) {
            return alias;
        }
        for (String id : catalog.ids()) {
            if (normalise(id).equals(key)) {
                return id;
            }
        }
        return null;
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
