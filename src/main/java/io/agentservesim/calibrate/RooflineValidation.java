package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Leave-one-bundle-out validation of the roofline: for each LLMServingSim bundle, fit the factors exactly
 * as {@link RooflineCalibration} ships them, on all its data except that bundle (every TP degree): the
 * factors shared by all GPUs ({@link SharedFit}, on every other bundle and every GPU's NVIDIA
 * AIConfigurator tables), refitted on what is left of the held-out bundle's own GPU
 * ({@link RooflineCalibration#forGpu}: its other bundles and its AIConfigurator tables, where it has any).
 * A bundle whose GPU has no other data (the RTX 4090) is thus predicted from the other GPUs alone.
 * Then compare on the held-out bundle, at every TP degree it was measured at:
 * <ul>
 *   <li>per operator class: roofline op time against every measured row of its table;</li>
 *   <li>whole steps: {@link RooflineStepTimeModel#computeUs} against {@link ProfileStepTimeModel}
 *       (eager, no CUDA-graph padding) on the held-out bundle over {@link StepShapes#sample} (seed
 *       {@value StepShapes#SEED}). All-reduce is left out on both sides: the bundles emulate TP on one GPU
 *       and hold no collective times. So is the MoE layer of a bundle whose {@code moe.csv} was not
 *       measured at the row's TP ({@link BundleStepReference}); that row is labelled, and its
 *       MoE-included error against the profile path's convention is printed below the table.</li>
 * </ul>
 * {@code --bundles-only} runs the stricter variant this validation used before: factors fitted on the other
 * bundles alone (those of the same GPU if any), no AIConfigurator tables, so a held-out MoE bundle gets the
 * uncalibrated MoE defaults. Error = roofline / measured − 1; the table shows mean |error| and max |error|
 * per cell; {@link #table} prints it as Markdown ({@code asim calibrate}).
 */
public final class RooflineValidation {
    /**
     * The held-out result of one bundle at one TP degree; keys are op classes, "step:&lt;kind&gt;" and, where
     * the MoE layer is left out of the steps, "moe-in step:&lt;kind&gt;" (MoE included, against the profile
     * path's convention). {@code note} is "" or what the whole-step reference leaves out.
     */
    public record Row(String bundle, int tp, String fittedOn, String note, Map<String, ErrorStats> errors) { }

    private RooflineValidation() {
    }

    /** The leave-one-bundle-out rows, each bundle predicted by the shipped calibration fitted without it. */
    public static List<Row> run(CalibrationData data) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<GpuData> all = GpuData.discover(data, catalog);
        List<MeasuredBundle> bundles = MeasuredBundle.discover(data.perf(), data.models());
        // The folds are independent and deterministic: fit them in parallel, then report in bundle order.
        List<RooflineEfficiency> fitted = java.util.stream.IntStream.range(0, bundles.size()).parallel()
                .mapToObj(i -> fold(all, bundles.get(i), catalog)).toList();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            MeasuredBundle held = bundles.get(i);
            String fittedOn = fittedOn(GpuData.withoutBundle(all, held.name()), held.gpuId());
            for (int tp : held.tps()) {
                OperatorSamples test = OperatorSamples.read(held, tp);
                RooflineStepTimeModel roof = RooflineCalibration.model(test, catalog, fitted.get(i));
                BundleStepReference reference = BundleStepReference.of(test, roof);
                rows.add(new Row(held.name(), tp, fittedOn, reference.note(), compare(test, roof, reference)));
            }
        }
        return rows;
    }

    /** The factors {@link RooflineCalibration} would ship for {@code held}'s GPU had {@code held} not been measured. */
    private static RooflineEfficiency fold(List<GpuData> all, MeasuredBundle held, GpuCatalog catalog) {
        List<GpuData> rest = GpuData.withoutBundle(all, held.name());
        RooflineEfficiency shared = new SharedFit(rest, catalog).fit();
        GpuData own = rest.stream().filter(g -> g.gpuId().equals(held.gpuId())).findFirst().orElse(null);
        return RooflineCalibration.forGpu(own, shared, catalog);
    }

    private static String fittedOn(List<GpuData> rest, String gpuId) {
        StringBuilder sb = new StringBuilder("shared: ");
        String own = "";
        for (GpuData g : rest) {
            String what = g.gpuId() + " (" + describe(g) + ")";
            sb.append(g == rest.get(0) ? "" : ", ").append(what);
            if (g.gpuId().equals(gpuId)) {
                own = "; refitted on " + what;
            }
        }
        return sb.append(own).toString();
    }

    private static String describe(GpuData g) {
        List<String> parts = new ArrayList<>();
        if (g.tables() != null || g.moe() != null) {
            parts.add("AIC tables");
        }
        g.bundles().stream().map(s -> s.bundle().model().name()).distinct().forEach(parts::add);
        return String.join(", ", parts);
    }

    /**
     * The stricter variant: factors fitted on the other bundles only (those of the held-out bundle's GPU if
     * it has others, else all other bundles), no AIConfigurator tables.
     */
    public static List<Row> runBundlesOnly(CalibrationData data) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<MeasuredBundle> bundles = MeasuredBundle.discover(data.perf(), data.models());
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
        for (StepShapes.Step step : StepShapes.sample(StepShapes.SEED)) {
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
