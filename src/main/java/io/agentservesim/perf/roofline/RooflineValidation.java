package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.ProfileStepTimeModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Leave-one-bundle-out validation of the roofline: for each LLMServingSim bundle, fit the factors as
 * {@link RooflineCalibration} would without it (on the other bundles of the same GPU if any, else on all
 * other bundles), then compare on the held-out bundle, at every TP degree it was measured at:
 * <ul>
 *   <li>per operator class: roofline op time against every measured row of its table;</li>
 *   <li>whole steps: {@link RooflineStepTimeModel#computeUs} against {@link ProfileStepTimeModel}
 *       (eager, no CUDA-graph padding) on the held-out bundle over {@link StepShapes#sample} (seed
 *       {@value #SEED}). All-reduce is left out on both sides: the bundles emulate TP on one GPU
 *       and hold no collective times. So is the MoE layer of a bundle whose {@code moe.csv} was not
 *       measured at the row's TP ({@link BundleStepReference}); that row is labelled, and its
 *       MoE-included error against the profile path's convention is printed below the table.</li>
 * </ul>
 * Error = roofline / measured − 1; the table shows mean |error| and max |error| per cell. Run from the
 * repository root; prints a Markdown table.
 */
public final class RooflineValidation {
    static final long SEED = 20_261_123L;

    /** Mean and max of |error| and the signed mean over a set of comparisons. */
    public record ErrorStats(double meanAbs, double maxAbs, double meanSigned, int count) {
        static ErrorStats of(List<Double> errors) {
            double sum = 0;
            double abs = 0;
            double max = 0;
            for (double e : errors) {
                sum += e;
                abs += Math.abs(e);
                max = Math.max(max, Math.abs(e));
            }
            int n = errors.size();
            return n == 0 ? new ErrorStats(Double.NaN, Double.NaN, Double.NaN, 0)
                    : new ErrorStats(abs / n, max, sum / n, n);
        }
    }

    /**
     * The held-out result of one bundle at one TP degree; keys are op classes, "step:&lt;kind&gt;" and, where
     * the MoE layer is left out of the steps, "moe-in step:&lt;kind&gt;" (MoE included, against the profile
     * path's convention). {@code note} is "" or what the whole-step reference leaves out.
     */
    public record Row(String bundle, int tp, String fittedOn, String note, Map<String, ErrorStats> errors) { }

    private RooflineValidation() {
    }

    public static void main(String[] args) {
        List<Row> rows = run(RooflineCalibration.PERF, RooflineCalibration.MODELS);
        System.out.println(table(rows));
    }

    public static List<Row> run(Path perf, Path models) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<MeasuredBundle> bundles = MeasuredBundle.discover(perf, models);
        List<OperatorSamples> all = RooflineCalibration.readAll(bundles);
        List<Row> rows = new ArrayList<>();
        for (MeasuredBundle held : bundles) {
            List<OperatorSamples> others = all.stream().filter(s -> s.bundle() != held).toList();
            List<OperatorSamples> sameGpu = others.stream().filter(s -> s.bundle().gpuId().equals(held.gpuId())).toList();
            List<OperatorSamples> training = sameGpu.isEmpty() ? others : sameGpu;
            String fittedOn = training.stream().map(s -> s.bundle().name()).distinct()
                    .reduce((a, b) -> a + ", " + b).orElse("");
            RooflineEfficiency eff = RooflineCalibration.fitCompute(training, catalog);
            for (OperatorSamples test : all.stream().filter(s -> s.bundle() == held).toList()) {
                RooflineStepTimeModel roof = RooflineCalibration.model(test, catalog, eff);
                BundleStepReference reference = BundleStepReference.of(test, roof);
                rows.add(new Row(held.name(), test.tp(), fittedOn, reference.note(), compare(test, roof, reference)));
            }
        }
        return rows;
    }

    private static Map<String, ErrorStats> compare(OperatorSamples test, RooflineStepTimeModel roof,
            BundleStepReference reference) {
        Map<String, List<Double>> errors = new LinkedHashMap<>();
        for (OperatorSamples.OpSample s : test.ops()) {
            double predicted = roof.opUs(s.op(), s.x());
            errors.computeIfAbsent(s.op().opClass().name(), k -> new ArrayList<>()).add(predicted / s.measuredUs() - 1);
        }
        for (OperatorSamples.AttentionSample s : test.attention()) {
            double predicted = roof.attentionUs(s.chunk(), s.kvPrefill(), s.nDecode(), s.kvDecode());
            errors.computeIfAbsent(s.opClass().name(), k -> new ArrayList<>()).add(predicted / s.measuredUs() - 1);
        }
        for (StepShapes.Step step : StepShapes.sample(SEED)) {
            double e = reference.error(step.batch());
            errors.computeIfAbsent("step:" + step.kind(), k -> new ArrayList<>()).add(e);
            errors.computeIfAbsent("step:all", k -> new ArrayList<>()).add(e);
            if (reference.moeLeftOut()) {
                double m = reference.moeIncludedError(step.batch());
                errors.computeIfAbsent(BundleStepReference.MOE_INCLUDED + "step:" + step.kind(), k -> new ArrayList<>()).add(m);
                errors.computeIfAbsent(BundleStepReference.MOE_INCLUDED + "step:all", k -> new ArrayList<>()).add(m);
            }
        }
        Map<String, ErrorStats> out = new LinkedHashMap<>();
        errors.forEach((k, v) -> out.put(k, ErrorStats.of(v)));
        return out;
    }

    static final String[] COLUMNS = {"GEMM", "ELEMENTWISE", "LM_HEAD", "SAMPLER", "MOE", "ATTENTION_PREFILL",
        "ATTENTION_DECODE", "ATTENTION_MIXED", "step:decode", "step:prefill", "step:mixed", "step:all"};

    /** Markdown: one row per held-out bundle and TP, cells "mean|err| / max|err|" in percent. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| held-out bundle | tp |");
        for (String c : COLUMNS) {
            sb.append(' ').append(c.toLowerCase(Locale.ROOT).replace("attention_", "attn ")).append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(COLUMNS.length)).append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.bundle()).append(r.note().isEmpty() ? "" : " (" + r.note() + ")")
                    .append(" | ").append(r.tp()).append(" |");
            for (String c : COLUMNS) {
                ErrorStats s = r.errors().get(c);
                sb.append(s == null ? " – |" : String.format(Locale.ROOT, " %.1f / %.0f |", 100 * s.meanAbs(), 100 * s.maxAbs()));
            }
            sb.append('\n');
        }
        sb.append("\nSigned mean error of whole steps (roofline − profile): ");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s tp%d %+.1f %%; ", r.bundle(), r.tp(),
                    100 * r.errors().get("step:all").meanSigned()));
        }
        sb.append('\n').append(BundleStepReference.moeIncludedLines(
                rows.stream().map(r -> r.bundle() + " tp" + r.tp()).toList(), rows.stream().map(Row::errors).toList()));
        sb.append("\nFitted on (per held-out bundle): ");
        rows.stream().map(r -> r.bundle() + " ← " + r.fittedOn()).distinct().forEach(s -> sb.append("\n- ").append(s));
        return sb.append('\n').toString();
    }
}
