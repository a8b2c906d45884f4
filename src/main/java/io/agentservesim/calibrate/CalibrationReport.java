package io.agentservesim.calibrate;

import static io.agentservesim.calibrate.CollectiveFit.Collective.ALL_REDUCE;
import static io.agentservesim.calibrate.CollectiveFit.Collective.ALL_TO_ALL;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The validation tables {@code asim calibrate} prints (Markdown, as VALIDATION.md quotes them), each a
 * leave-one-out or out-of-sample check of the roofline against the measurements under one data folder.
 * The leave-one-bundle-out and leave-one-GPU-out tables refit their own factors per fold; the others
 * price the measurements with the {@code factors} given (those just fitted, or the file's).
 */
public final class CalibrationReport {
    /** One table, named on the command line by {@link #key()}. */
    public enum Table {
        BUNDLES("bundles", "Leave-one-bundle-out (the shipped pipeline fitted without the bundle)"),
        BUNDLES_ONLY("bundles-only", "Leave-one-bundle-out, fitted on the other bundles only (no AIConfigurator tables)"),
        GPUS("gpus", "Leave-one-GPU-out (shared factors fitted on the other GPUs)"),
        MOE("moe", "MoE layer against AIConfigurator's fused-MoE tables (EP, moe_tp, power-law and skewed routing)"),
        COLLECTIVES("collectives", "Collectives against AIConfigurator's all-reduce and nccl-tests tables"),
        VIDUR("vidur", "Out-of-sample: Vidur's A100/H100 GEMMs and NCCL all-reduce");

        private final String key;
        private final String title;

        Table(String key, String title) {
            this.key = key;
            this.title = title;
        }

        public String key() {
            return key;
        }

        /** The table of this key; an unknown key fails with the list of valid ones. */
        public static Table of(String key) {
            for (Table t : values()) {
                if (t.key.equals(key)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("unknown table \"" + key + "\"; valid: "
                    + String.join(", ", Arrays.stream(values()).map(Table::key).toList()));
        }
    }

    private CalibrationReport() {
    }

    /**
     * Prints {@code tables} in enum order to {@code out}; {@code compare} (or null) adds the collective and
     * Vidur all-reduce tables priced with another calibration file, labelled {@code compareLabel}.
     */
    public static void print(CalibrationData data, RooflineFactors factors, RooflineFactors compare, String compareLabel,
            Set<Table> tables, PrintStream out) {
        for (Table t : Table.values()) {
            if (!tables.contains(t)) {
                continue;
            }
            long start = System.nanoTime();
            out.println("## " + t.title + "\n");
            out.println(switch (t) {
                case BUNDLES -> RooflineValidation.table(RooflineValidation.run(data));
                case BUNDLES_ONLY -> RooflineValidation.table(RooflineValidation.runBundlesOnly(data));
                case GPUS -> GpuHoldOutValidation.table(GpuHoldOutValidation.run(data));
                case MOE -> MoeEpValidation.markdown(MoeEpValidation.run(data, GpuCatalog.builtin(), factors));
                case COLLECTIVES -> collectives(data, factors, compare, compareLabel);
                case VIDUR -> VidurCrossCheck.table(VidurCrossCheck.gemms(data.vidur(), factors)) + "\n"
                        + VidurCrossCheck.table(VidurCrossCheck.allReduces(data.vidur(), factors))
                        + (compare == null ? "" : "\nall-reduce with " + compareLabel + "\n"
                                + VidurCrossCheck.table(VidurCrossCheck.allReduces(data.vidur(), compare)));
            });
            System.err.printf(Locale.ROOT, "asim calibrate: %s table in %.1f s%n", t.key, (System.nanoTime() - start) * 1e-9);
        }
    }

    private static String collectives(CalibrationData data, RooflineFactors factors, RooflineFactors compare,
            String compareLabel) {
        Path aic = data.aic();
        StringBuilder sb = new StringBuilder();
        section(sb, "custom all-reduce, fit", CollectiveValidation.custom(aic, factors));
        section(sb, "NCCL all-reduce, fit", CollectiveValidation.fit(aic, factors, ALL_REDUCE, false));
        section(sb, "NCCL all-reduce, leave one GPU out", CollectiveValidation.leaveOneGpuOut(aic, ALL_REDUCE, false));
        section(sb, "NCCL all-to-all, fit", CollectiveValidation.fit(aic, factors, ALL_TO_ALL, true));
        section(sb, "NCCL all-to-all, leave one GPU out", CollectiveValidation.leaveOneGpuOut(aic, ALL_TO_ALL, true));
        section(sb, "vLLM dispatch (custom < 8 MiB, NCCL above) against the vLLM all-reduce table",
                CollectiveValidation.vllmDispatch(aic, factors));
        if (compare != null) {
            section(sb, "custom all-reduce with " + compareLabel, CollectiveValidation.custom(aic, compare));
            section(sb, "vLLM dispatch with " + compareLabel, CollectiveValidation.vllmDispatch(aic, compare));
            section(sb, "all-to-all with " + compareLabel, CollectiveValidation.fit(aic, compare, ALL_TO_ALL, true));
        }
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<CollectiveValidation.Row> rows) {
        sb.append(title).append('\n').append(CollectiveValidation.table(rows)).append('\n');
    }
}
