package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The collective model against AIConfigurator's measured collectives (VALIDATION.md, "Collectives"):
 * <ul>
 *   <li>fit: the shipped factors of each GPU against the rows they were fitted on (custom all-reduce,
 *       NCCL all-reduce, NCCL all-to-all), per GPU count;</li>
 *   <li>leave one GPU out: NCCL factors refitted on every other GPU of the same link kind (geometric
 *       mean, as the link defaults are made) predict the held-out GPU;</li>
 *   <li>vLLM dispatch: {@link OperatorCosts#modelAllReduceUs} (custom below 8 MiB, NCCL above) against every
 *       row of the vLLM all-reduce table, which measured vLLM's own dispatch;</li>
 * </ul>
 * {@code asim calibrate --compare FILE} also prints the custom all-reduce, vLLM-dispatch and all-to-all
 * tables with another calibration file (for a file without NCCL entries: everything priced as one ring with
 * the custom all-reduce's factors, the form before the NCCL regime). error = model / measured − 1.
 */
public final class CollectiveValidation {
    /** One compared group, e.g. ("h100_sxm", 8, errors). */
    public record Row(String gpuId, int gpus, String band, ErrorStats error) { }

    /** Size bands of the all-to-all table: latency-bound, transition, bandwidth-bound. */
    static final double SMALL_BYTES = 256 * 1024;
    static final double LARGE_BYTES = 32 * 1024 * 1024;

    private CollectiveValidation() {
    }

    /** The custom all-reduce rows (vLLM table, where vLLM runs it) per GPU and GPU count. */
    public static List<Row> custom(Path aic, RooflineFactors factors) {
        List<Row> out = new ArrayList<>();
        for (GpuSpec gpu : gpus()) {
            OperatorCosts c = new OperatorCosts(gpu, factors.forGpu(gpu));
            out.addAll(group(gpu.id(), CollectiveFit.customRows(aic, gpu), false,
                    r -> c.customAllReduceUs(r.bytes(), r.gpus())));
        }
        return out;
    }

    /** The nccl-tests rows of {@code which} priced with {@code factors}, per GPU and GPU count (and band). */
    public static List<Row> fit(Path aic, RooflineFactors factors, CollectiveFit.Collective which, boolean bands) {
        List<Row> out = new ArrayList<>();
        for (GpuSpec gpu : gpus()) {
            OperatorCosts c = new OperatorCosts(gpu, factors.forGpu(gpu));
            out.addAll(group(gpu.id(), CollectiveTables.nccl(aic, gpu.id(), which.ncclOp), bands,
                    r -> which == CollectiveFit.Collective.ALL_REDUCE ? c.ncclAllReduceUs(r.bytes(), r.gpus())
                            : c.allToAllUs(r.bytes(), r.gpus())));
        }
        return out;
    }

    /** Each GPU priced with the geometric mean of the factors fitted on the other GPUs of its link kind. */
    public static List<Row> leaveOneGpuOut(Path aic, CollectiveFit.Collective which, boolean bands) {
        Map<String, NcclFactors> fitted = new LinkedHashMap<>();
        Map<String, List<CollectiveTables.Row>> data = new LinkedHashMap<>();
        for (GpuSpec gpu : gpus()) {
            List<CollectiveTables.Row> rows = CollectiveTables.nccl(aic, gpu.id(), which.ncclOp);
            if (!rows.isEmpty()) {
                data.put(gpu.id(), rows);
                fitted.put(gpu.id(), CollectiveFit.fitNccl(gpu, which, rows));
            }
        }
        GpuCatalog catalog = GpuCatalog.builtin();
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, List<CollectiveTables.Row>> e : data.entrySet()) {
            GpuSpec gpu = catalog.get(e.getKey());
            List<NcclFactors> others = new ArrayList<>();
            fitted.forEach((id, f) -> {
                if (!id.equals(gpu.id()) && catalog.get(id).gpuLink() == gpu.gpuLink()) {
                    others.add(f);
                }
            });
            NcclFactors pooled = CollectiveFit.pooled(others);
            if (pooled != null) {
                out.addAll(group(gpu.id(), e.getValue(), bands, r -> CollectiveFit.priced(gpu, which, pooled, r)));
            }
        }
        return out;
    }

    /** The fitted dispatch ({@link OperatorCosts#modelAllReduceUs}) against every vLLM-table row, split at the custom limit. */
    public static List<Row> vllmDispatch(Path aic, RooflineFactors factors) {
        List<Row> out = new ArrayList<>();
        for (GpuSpec gpu : gpus()) {
            OperatorCosts c = new OperatorCosts(gpu, factors.forGpu(gpu));
            Map<String, List<Double>> errors = new LinkedHashMap<>();
            Map<String, Integer> gpusOf = new LinkedHashMap<>();
            for (CollectiveTables.Row r : CollectiveTables.vllmAllReduce(aic, gpu.id())) {
                String band = r.bytes() < OperatorCosts.CUSTOM_ALL_REDUCE_MAX_BYTES ? "< 8 MiB" : "≥ 8 MiB";
                String key = r.gpus() + " " + band;
                gpusOf.put(key, r.gpus());
                errors.computeIfAbsent(key, k -> new ArrayList<>()).add(c.modelAllReduceUs(r.bytes(), r.gpus()) / r.us() - 1);
            }
            errors.forEach((k, v) -> out.add(new Row(gpu.id(), gpusOf.get(k), k.substring(k.indexOf(' ') + 1),
                    ErrorStats.of(v))));
        }
        return out;
    }

    private static List<GpuSpec> gpus() {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<GpuSpec> out = new ArrayList<>();
        for (String id : catalog.ids()) {
            out.add(catalog.get(id));
        }
        return out;
    }

    /** Errors per GPU count, and per size band too if {@code bands}. */
    private static List<Row> group(String gpuId, List<CollectiveTables.Row> rows, boolean bands,
            ToDoubleFunction<CollectiveTables.Row> model) {
        Map<Integer, List<Double>> all = new java.util.TreeMap<>();
        Map<String, List<Double>> banded = new java.util.TreeMap<>();
        for (CollectiveTables.Row r : rows) {
            double e = model.applyAsDouble(r) / r.us() - 1;
            all.computeIfAbsent(r.gpus(), k -> new ArrayList<>()).add(e);
            banded.computeIfAbsent(r.gpus() + " " + band(r.bytes()), k -> new ArrayList<>()).add(e);
        }
        List<Row> out = new ArrayList<>();
        all.forEach((n, e) -> {
            out.add(new Row(gpuId, n, "all", ErrorStats.of(e)));
            if (bands) {
                banded.forEach((k, b) -> {
                    if (k.startsWith(n + " ")) {
                        out.add(new Row(gpuId, n, k.substring(k.indexOf(' ') + 1), ErrorStats.of(b)));
                    }
                });
            }
        });
        return out;
    }

    /** "1 small" (< 256 KiB), "2 mid", "3 large" (≥ 32 MiB); the digit orders the bands. */
    static String band(double bytes) {
        return bytes < SMALL_BYTES ? "1 < 256 KiB" : bytes < LARGE_BYTES ? "2 256 KiB-32 MiB" : "3 ≥ 32 MiB";
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| GPU | GPUs | sizes | rows | mean abs error | max abs error | signed mean |\n")
                .append("|---|---:|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            ErrorStats e = r.error();
            String band = r.band().length() > 2 && Character.isDigit(r.band().charAt(0)) ? r.band().substring(2) : r.band();
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f %% | %.0f %% | %+.1f %% |%n", r.gpuId(),
                    r.gpus(), band, e.count(), e.meanAbs() * 100, e.maxAbs() * 100, e.meanSigned() * 100));
        }
        return b.toString();
    }
}
