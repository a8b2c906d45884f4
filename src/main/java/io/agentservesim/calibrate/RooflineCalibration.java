package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the {@link RooflineEfficiency} factors to measured operator times, for
 * {@code data/hardware/roofline-calibration.yaml} ({@link CalibrationFile}; {@code asim calibrate} writes it). The compute factors are fitted by {@link SharedFit}
 * on every GPU with measurements ({@link GpuData}: the LLMServingSim bundles and NVIDIA AIConfigurator's
 * vLLM GEMM and attention tables), each GPU weighted equally. Collectives are fitted per GPU by
 * {@link CollectiveFit}: the custom all-reduce's link fraction and latency on the rows of AIConfigurator's
 * vLLM all-reduce tables (CUDA-graph backend) where vLLM runs its custom kernel, and the NCCL all-reduce
 * and all-to-all factors on AIConfigurator's nccl-tests tables; GPUs without such data get the geometric
 * mean over the GPUs of their link kind (NVLink, PCIe).
 * The MoE factors ({@link FusedMoeKernel}) are fitted like the compute classes, on AIConfigurator's
 * fused-MoE tables (four GPUs) and the MoE bundle's moe.csv; {@code MoeEpValidation} reports them with
 * each GPU left out. The result has a {@code default} entry
 * fitted on every GPU, used for GPUs without data, and per-GPU entries refitted on that GPU's own data
 * (classes it has no rows for keep the default).
 */
public final class RooflineCalibration {
    /**
     * One calibration: the shared {@code default} factors, the link-kind defaults, the per-GPU entries and
     * the file text that holds them all.
     */
    public record Result(RooflineEfficiency base, RooflineEfficiency nvlink, RooflineEfficiency pcie,
            Map<String, RooflineEfficiency> perGpu, String yaml) {
        /** The factors as the runtime reads them back from {@link #yaml()} (four significant digits). */
        public RooflineFactors factors(Path origin) {
            return RooflineFactors.parse(yaml, origin);
        }
    }

    private RooflineCalibration() {
    }

    /** Fits every factor on the data under {@code data}; deterministic (compass searches, no random starts). */
    public static Result fit(CalibrationData data) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<MeasuredBundle> bundles = MeasuredBundle.discover(data.perf(), data.models());
        List<GpuData> gpus = GpuData.discover(data, catalog);
        RooflineEfficiency base = new SharedFit(gpus, catalog).fit();
        Collectives fitted = fitCollectives(data.aic(), catalog, base);
        Map<String, RooflineEfficiency> perGpu = new LinkedHashMap<>();
        for (String id : catalog.ids()) {
            GpuData own = null;
            for (GpuData g : gpus) {
                if (g.gpuId().equals(id)) {
                    own = g;
                }
            }
            if (own == null && !fitted.hasAny(id)) {
                continue;
            }
            perGpu.put(id, fitted.apply(catalog.get(id), forGpu(own, base, catalog)));
        }
        RooflineEfficiency nvlink = fitted.defaults(GpuSpec.GpuLink.NVLINK, base);
        RooflineEfficiency pcie = fitted.defaults(GpuSpec.GpuLink.PCIE, base);
        String yaml = CalibrationFile.toYaml(base, nvlink, pcie, perGpu, bundles, gpus, data);
        return new Result(base, nvlink, pcie, Map.copyOf(perGpu), yaml);
    }

    /**
     * The compute factors the calibration ships for one GPU: its own data (null if none) refits the
     * classes it has rows for, starting from the shared factors {@code base}; the classes it has no rows
     * for, and a GPU without data, keep {@code base}. Collectives are applied separately.
     */
    static RooflineEfficiency forGpu(GpuData own, RooflineEfficiency base, GpuCatalog catalog) {
        return own == null ? base : SharedFit.ownRefit(own, catalog).fit(base);
    }

    /** Samples of every bundle at every TP degree it was measured at. */
    static List<OperatorSamples> readAll(List<MeasuredBundle> bundles) {
        List<OperatorSamples> all = new ArrayList<>();
        for (MeasuredBundle b : bundles) {
            for (int tp : b.tps()) {
                all.add(OperatorSamples.read(b, tp));
            }
        }
        return all;
    }

    /** Compute factors fitted on bundle samples only (grouped by GPU), link factors left at defaults. */
    public static RooflineEfficiency fitCompute(List<OperatorSamples> samples, GpuCatalog catalog) {
        return new SharedFit(GpuData.ofBundles(samples), catalog).fit();
    }

    static RooflineStepTimeModel model(OperatorSamples group, GpuCatalog catalog, RooflineEfficiency eff) {
        ModelShape shape = group.bundle().model();
        return new RooflineStepTimeModel(catalog.get(group.bundle().gpuId()), shape, group.tp(), eff);
    }

    /**
     * The fitted collective factors per GPU: custom all-reduce (link fraction, latency), NCCL all-reduce
     * and all-to-all; each present only where the GPU has rows for it.
     */
    record Collectives(Map<String, RooflineEfficiency> custom, Map<String, NcclFactors> allReduce,
            Map<String, NcclFactors> allToAll, GpuCatalog catalog) {

        boolean hasAny(String id) {
            return custom.containsKey(id) || allReduce.containsKey(id) || allToAll.containsKey(id);
        }

        /** {@code e} with this GPU's own collective factors, or its link kind's defaults where it has none. */
        RooflineEfficiency apply(GpuSpec gpu, RooflineEfficiency e) {
            RooflineEfficiency kind = defaults(gpu.gpuLink(), e);
            RooflineEfficiency link = custom.getOrDefault(gpu.id(), kind);
            return e.withLink(link.linkBandwidthFraction(), link.allReduceLatencyNs())
                    .withNccl(allReduce.getOrDefault(gpu.id(), kind.ncclAllReduce()),
                            allToAll.getOrDefault(gpu.id(), kind.allToAll()));
        }

        /** {@code base} with the geometric means over the GPUs of this link kind (base's own where none). */
        RooflineEfficiency defaults(GpuSpec.GpuLink kind, RooflineEfficiency base) {
            double logF = 0;
            double logL = 0;
            int n = 0;
            for (Map.Entry<String, RooflineEfficiency> e : custom.entrySet()) {
                if (catalog.get(e.getKey()).gpuLink() == kind) {
                    logF += Math.log(e.getValue().linkBandwidthFraction());
                    logL += Math.log(e.getValue().allReduceLatencyNs());
                    n++;
                }
            }
            RooflineEfficiency out = n == 0 ? base : base.withLink(Math.exp(logF / n), Math.exp(logL / n));
            NcclFactors ar = CollectiveFit.pooled(ofKind(allReduce, kind));
            NcclFactors a2a = CollectiveFit.pooled(ofKind(allToAll, kind));
            return out.withNccl(ar == null ? out.ncclAllReduce() : ar, a2a == null ? out.allToAll() : a2a);
        }

        private List<NcclFactors> ofKind(Map<String, NcclFactors> fitted, GpuSpec.GpuLink kind) {
            List<NcclFactors> out = new ArrayList<>();
            fitted.forEach((id, f) -> {
                if (catalog.get(id).gpuLink() == kind) {
                    out.add(f);
                }
            });
            return out;
        }
    }

    /** Collective factors of every catalog GPU with AIConfigurator collective tables. */
    static Collectives fitCollectives(Path aic, GpuCatalog catalog, RooflineEfficiency base) {
        Map<String, RooflineEfficiency> custom = new LinkedHashMap<>();
        Map<String, NcclFactors> allReduce = new LinkedHashMap<>();
        Map<String, NcclFactors> allToAll = new LinkedHashMap<>();
        for (String id : catalog.ids()) {
            GpuSpec gpu = catalog.get(id);
            List<CollectiveTables.Row> rows = CollectiveFit.customRows(aic, gpu);
            if (!rows.isEmpty()) {
                custom.put(id, CollectiveFit.fitCustom(gpu, base, rows));
            }
            for (CollectiveFit.Collective c : CollectiveFit.Collective.values()) {
                List<CollectiveTables.Row> nccl = CollectiveTables.nccl(aic, id, c.ncclOp);
                if (!nccl.isEmpty()) {
                    (c == CollectiveFit.Collective.ALL_REDUCE ? allReduce : allToAll)
                            .put(id, CollectiveFit.fitNccl(gpu, c, nccl));
                }
            }
        }
        return new Collectives(custom, allReduce, allToAll, catalog);
    }
}
