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
import java.util.function.ToDoubleFunction;
import java.util.zip.GZIPInputStream;

/**
 * Fits the {@link RooflineEfficiency} factors to measured operator times and writes them to
 * {@code data/hardware/roofline-calibration.yaml}. Each operator class is fitted on its own (its
 * factors enter no other class), minimising the mean squared log ratio roofline/measured (relative
 * error, so a 3 µs norm weighs as much as a 1 ms GEMM) by {@link CompassSearch}:
 * <ul>
 *   <li>GEMM (qkv, o_proj, gate_up, down, lm_head): large-size FLOP fraction, half-size rows, bandwidth
 *       fraction, overhead;</li>
 *   <li>elementwise (norms, rotary, activation, embedding): bandwidth fraction, overhead;</li>
 *   <li>sampler: bandwidth fraction over fp32 logits, overhead;</li>
 *   <li>attention (every grid point: prefill, decode, mixed): FLOP fraction, prefill-context and decode
 *       bandwidth fractions, overhead, decode wave time;</li>
 *   <li>all-reduce: link bandwidth fraction and latency from NVIDIA AIConfigurator's vLLM custom
 *       all-reduce tables (CUDA-graph backend), per GPU.</li>
 * </ul>
 * MoE expert FFNs are priced with the GEMM factors and never fitted (only one MoE bundle exists, so a
 * fitted MoE factor could not be validated on unseen data). The result has a {@code default} entry
 * fitted on every bundle, used for GPUs without a bundle, and per-GPU entries fitted on that GPU's
 * bundles only. Run: {@code java -cp target/classes:... io.agentservesim.perf.roofline.RooflineCalibration}
 * from the repository root (see VALIDATION-roofline.md).
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
        List<OperatorSamples> all = readAll(bundles);
        RooflineEfficiency base = fitCompute(all, catalog);
        Map<String, RooflineEfficiency> links = fitLinks(catalog, base);
        Map<String, RooflineEfficiency> perGpu = new LinkedHashMap<>();
        for (String id : catalog.ids()) {
            List<OperatorSamples> own = all.stream().filter(s -> s.bundle().gpuId().equals(id)).toList();
            RooflineEfficiency compute = own.isEmpty() ? null : fitCompute(own, catalog);
            RooflineEfficiency link = links.get(id);
            if (compute == null && link == null) {
                continue;
            }
            RooflineEfficiency e = compute == null ? base : compute;
            perGpu.put(id, link == null ? e : e.withLink(link.linkBandwidthFraction(), link.allReduceLatencyNs()));
        }
        RooflineEfficiency nvlink = pooledLink(links, catalog, GpuSpec.GpuLink.NVLINK, base);
        RooflineEfficiency pcie = pooledLink(links, catalog, GpuSpec.GpuLink.PCIE, base);
        Files.writeString(OUT, RooflineFactors.toYaml(base, nvlink, pcie, perGpu, bundles));
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

    /** GEMM, elementwise, sampler and attention factors fitted on {@code samples}; link factors left at defaults. */
    public static RooflineEfficiency fitCompute(List<OperatorSamples> samples, GpuCatalog catalog) {
        RooflineEfficiency e = RooflineEfficiency.DEFAULTS;
        e = fitBlock(samples, catalog, e, RooflineEfficiency.GEMM,
                new double[] {0.05, 1, 0.05, 1}, new double[] {1.0, 4096, 1.0, 100_000},
                s -> s.op().opClass() == Op.OpClass.GEMM || s.op() == Op.LM_HEAD, false);
        e = fitBlock(samples, catalog, e, RooflineEfficiency.ELEMENTWISE, new double[] {0.05, 1}, new double[] {1.5, 100_000},
                s -> s.op().opClass() == Op.OpClass.ELEMENTWISE, false);
        e = fitBlock(samples, catalog, e, RooflineEfficiency.SAMPLER, new double[] {0.01, 1}, new double[] {1.0, 1_000_000},
                s -> s.op() == Op.SAMPLER, false);
        return fitBlock(samples, catalog, e, RooflineEfficiency.ATTENTION,
                new double[] {0.02, 0.02, 0.05, 1, 1}, new double[] {1.0, 1.5, 1.0, 100_000, 100_000}, s -> false, true);
    }

    /** Fits the fields from index {@code from} (as many as {@code lower} has), the others held at {@code e}. */
    private static RooflineEfficiency fitBlock(List<OperatorSamples> samples, GpuCatalog catalog, RooflineEfficiency e,
            int from, double[] lower, double[] upper, java.util.function.Predicate<OperatorSamples.OpSample> ops,
            boolean attention) {
        double[] start = java.util.Arrays.copyOfRange(e.toArray(), from, from + lower.length);
        double[] p = fit(samples, catalog, q -> e.with(from, q), start, lower, upper, ops, attention);
        return e.with(from, p);
    }

    private static double[] fit(List<OperatorSamples> samples, GpuCatalog catalog,
            java.util.function.Function<double[], RooflineEfficiency> factors, double[] start, double[] lower,
            double[] upper, java.util.function.Predicate<OperatorSamples.OpSample> ops, boolean attention) {
        ToDoubleFunction<double[]> objective = p -> {
            RooflineEfficiency eff = factors.apply(p);
            double sum = 0;
            long n = 0;
            for (OperatorSamples group : samples) {
                RooflineStepTimeModel m = model(group, catalog, eff);
                for (OperatorSamples.OpSample s : group.ops()) {
                    if (ops.test(s) && s.measuredUs() > 0) {
                        double r = Math.log(m.opUs(s.op(), s.x()) / s.measuredUs());
                        sum += r * r;
                        n++;
                    }
                }
                if (attention) {
                    for (OperatorSamples.AttentionSample s : group.attention()) {
                        if (s.measuredUs() > 0) {
                            double r = Math.log(m.attentionUs(s.chunk(), s.kvPrefill(), s.nDecode(), s.kvDecode())
                                    / s.measuredUs());
                            sum += r * r;
                            n++;
                        }
                    }
                }
            }
            return n == 0 ? 0.0 : sum / n;
        };
        return CompassSearch.minimise(objective, start, lower, upper);
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
