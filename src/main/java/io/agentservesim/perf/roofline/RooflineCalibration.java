package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Fits the {@link RooflineEfficiency} factors to measured operator times and writes them to
 * {@code data/hardware/roofline-calibration.yaml}. The compute factors are fitted by {@link SharedFit}
 * on every GPU with measurements ({@link GpuData}: the LLMServingSim bundles and NVIDIA AIConfigurator's
 * vLLM GEMM and attention tables), each GPU weighted equally; all-reduce link fraction and latency are
 * fitted per GPU on AIConfigurator's vLLM custom all-reduce tables (CUDA-graph backend).
 * The MoE factors ({@link FusedMoeKernel}) are fitted like the compute classes, on AIConfigurator's
 * fused-MoE tables (four GPUs) and the MoE bundle's moe.csv; {@code MoeEpValidation} reports them with
 * each GPU left out. The result has a {@code default} entry
 * fitted on every GPU, used for GPUs without data, and per-GPU entries refitted on that GPU's own data
 * (classes it has no rows for keep the default). Run: {@code java -cp target/classes:...
 * io.agentservesim.perf.roofline.RooflineCalibration} from the repository root (see VALIDATION.md).
 */
public final class RooflineCalibration {
    static final Path PERF = Path.of("data/llmservingsim/perf");
    static final Path MODELS = Path.of("data/llmservingsim/models");
    static final Path AIC = Path.of("data/aiconfigurator/perf");
    static final Path OUT = Path.of("data/hardware/roofline-calibration.yaml");

    private RooflineCalibration() {
    }

    public static void main(String[] args) throws IOException {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<MeasuredBundle> bundles = MeasuredBundle.discover(PERF, MODELS);
        List<GpuData> gpus = GpuData.discover(PERF, MODELS, AIC, catalog);
        RooflineEfficiency base = new SharedFit(gpus, catalog).fit();
        Map<String, RooflineEfficiency> links = fitLinks(catalog, base);
        Map<String, RooflineEfficiency> perGpu = new LinkedHashMap<>();
        for (String id : catalog.ids()) {
            GpuData own = null;
            for (GpuData g : gpus) {
                if (g.gpuId().equals(id)) {
                    own = g;
                }
            }
            RooflineEfficiency link = links.get(id);
            if (own == null && link == null) {
                continue;
            }
            // Own data refits the classes it has rows for; the others keep the shared factors.
            RooflineEfficiency e = own == null ? base : new SharedFit(List.of(own), catalog).fit(base);
            perGpu.put(id, link == null ? e : e.withLink(link.linkBandwidthFraction(), link.allReduceLatencyNs()));
        }
        RooflineEfficiency nvlink = pooledLink(links, catalog, GpuSpec.GpuLink.NVLINK, base);
        RooflineEfficiency pcie = pooledLink(links, catalog, GpuSpec.GpuLink.PCIE, base);
        Files.writeString(OUT, RooflineFactors.toYaml(base, nvlink, pcie, perGpu, bundles, gpus));
        System.out.println("wrote " + OUT);
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

    /** Link fraction and latency per GPU with AIConfigurator all-reduce tables (only those fields meaningful). */
    static Map<String, RooflineEfficiency> fitLinks(GpuCatalog catalog, RooflineEfficiency base) throws IOException {
        Map<String, RooflineEfficiency> out = new LinkedHashMap<>();
        for (String id : catalog.ids()) {
            Path table = allReduceTable(id);
            if (table == null) {
                continue;
            }
            List<double[]> rows = allReduceRows(table);
            double[] p = CompassSearch.minimise(q -> {
                OperatorCosts c = new OperatorCosts(catalog.get(id), base.withLink(q[0], q[1]));
                double sum = 0;
                for (double[] r : rows) {
                    double e = Math.log(c.allReduceUs(r[1] * 2.0, (int) r[0]) / r[2]);
                    sum += e * e;
                }
                return sum / rows.size();
            }, new double[] {base.linkBandwidthFraction(), base.allReduceLatencyNs()},
                    new double[] {0.02, 100}, new double[] {1.0, 1_000_000});
            out.put(id, base.withLink(p[0], p[1]));
        }
        return out;
    }

    private static Path allReduceTable(String id) throws IOException {
        Path dir = AIC.resolve(id);
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (var s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("custom_allreduce_perf.csv.gz")).findFirst().orElse(null);
        }
    }

    /** (gpus, elements, latency µs) of the bfloat16 CUDA-graph rows of a custom_allreduce_perf table. */
    static List<double[]> allReduceRows(Path table) throws IOException {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(table)), StandardCharsets.UTF_8))) {
            String[] header = in.readLine().split(",");
            int gpus = index(header, "num_gpus");
            int size = index(header, "message_size");
            int latency = index(header, "latency");
            int backend = index(header, "backend");
            int dtype = index(header, "allreduce_dtype");
            String line;
            while ((line = in.readLine()) != null) {
                String[] c = line.split(",");
                if (c[backend].equals("vllm_graph") && c[dtype].equals("bfloat16")) {
                    rows.add(new double[] {Double.parseDouble(c[gpus]), Double.parseDouble(c[size]),
                        Double.parseDouble(c[latency]) * 1000.0});
                }
            }
        }
        return rows;
    }

    private static int index(String[] header, String name) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("column " + name + " missing");
    }

    /** Geometric mean of the link factors fitted on GPUs of this link kind, else the defaults. */
    private static RooflineEfficiency pooledLink(Map<String, RooflineEfficiency> links, GpuCatalog catalog,
            GpuSpec.GpuLink kind, RooflineEfficiency base) {
        double logF = 0;
        double logL = 0;
        int n = 0;
        for (Map.Entry<String, RooflineEfficiency> e : links.entrySet()) {
            if (catalog.get(e.getKey()).gpuLink() == kind) {
                logF += Math.log(e.getValue().linkBandwidthFraction());
                logL += Math.log(e.getValue().allReduceLatencyNs());
                n++;
            }
        }
        return n == 0 ? base : base.withLink(Math.exp(logF / n), Math.exp(logL / n));
    }
}
