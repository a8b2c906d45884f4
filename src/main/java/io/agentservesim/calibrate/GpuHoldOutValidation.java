package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Leave-one-GPU-out validation of the roofline: for each GPU with measurements ({@link GpuData}), fit
 * the shared compute factors on every other GPU ({@link SharedFit}) and compare on the held-out one:
 * <ul>
 *   <li>per operator class: GEMMs (AIConfigurator table rows and bundle qkv/o/gate_up/down/lm_head
 *       rows), the MoE layer (AIConfigurator fused-MoE rows, balanced, EP 1/2/4/8, and bundle moe.csv
 *       rows), AIConfigurator context attention (pure prefill) and generation attention (pure decode)
 *       rows, and the bundles' attention grids;</li>
 *   <li>whole steps, one row per reference: Llama-3.1-8B from the kernel tables ({@link TableSteps})
 *       and, for each LLMServingSim bundle and TP degree of the GPU, {@link ProfileStepTimeModel}
 *       (eager) over {@link StepShapes#sample}, as in {@link RooflineValidation}. Collectives are left
 *       out on both sides, and so is the MoE layer of a bundle whose {@code moe.csv} was not measured at
 *       the row's TP ({@link BundleStepReference}: the reference says so, and the MoE-included error
 *       against the profile path's convention is printed below the table).</li>
 * </ul>
 * Error = roofline / measured − 1; {@link #table} prints it as Markdown ({@code asim calibrate}).
 */
public final class GpuHoldOutValidation {
    /**
     * The result of one held-out GPU against one reference ("AIC tables" or a bundle at a TP degree);
     * {@code note} is "" or what the whole-step reference leaves out, and the error keys are as in
     * {@link RooflineValidation.Row}.
     */
    public record Row(String gpuId, String reference, String note, Map<String, ErrorStats> errors) {
        /** The reference with its note, as the table prints it. */
        public String label() {
            return note.isEmpty() ? reference : reference + " (" + note + ")";
        }
    }

    private GpuHoldOutValidation() {
    }

    /** Every GPU with data under {@code data} held out in turn. */
    public static List<Row> run(CalibrationData data) {
        GpuCatalog catalog = GpuCatalog.builtin();
        return run(GpuData.discover(data, catalog), llama(data), catalog);
    }

    /** The Llama-3.1-8B shape the kernel-table whole steps ({@link TableSteps}) are built for. */
    static ModelShape llama(CalibrationData data) {
        return ModelShape.load(data.models().resolve("meta-llama/Llama-3.1-8B.json"));
    }

    /** Each GPU of {@code all} held out in turn, its factors fitted on the others of {@code all}. */
    static List<Row> run(List<GpuData> all, ModelShape llama, GpuCatalog catalog) {
        List<Row> rows = new ArrayList<>();
        // The folds are independent and deterministic: fit them in parallel, then report in GPU order.
        List<RooflineEfficiency> fitted = java.util.stream.IntStream.range(0, all.size()).parallel()
                .mapToObj(i -> new SharedFit(SharedFit.without(all, all.get(i).gpuId()), catalog).fit()).toList();
        for (int i = 0; i < all.size(); i++) {
            GpuData held = all.get(i);
            RooflineEfficiency eff = fitted.get(i);
            GpuSpec gpu = catalog.get(held.gpuId());
            Map<String, List<Double>> ops = opErrors(held, gpu, catalog, eff);
            if (held.tables() != null && TableSteps.covers(held.tables())) {
                Map<String, List<Double>> e = copy(ops);
                for (TableSteps.Step s : TableSteps.steps()) {
                    double measured = TableSteps.measuredUs(held.tables(), s);
                    if (!Double.isNaN(measured)) {
                        addStep(e, s.kind(), TableSteps.rooflineUs(gpu, llama, eff, s) / measured - 1);
                    }
                }
                rows.add(new Row(held.gpuId(), "AIC tables, Llama-3.1-8B", "", stats(e)));
            }
            for (OperatorSamples test : held.bundles()) {
                Map<String, List<Double>> e = copy(ops);
                RooflineStepTimeModel roof = RooflineCalibration.model(test, catalog, eff);
                BundleStepReference reference = BundleStepReference.of(test, roof);
                for (StepShapes.Step step : StepShapes.sample(StepShapes.SEED)) {
                    addStep(e, step.kind(), reference.error(step.batch()));
                    if (reference.moeLeftOut()) {
                        double m = reference.moeIncludedError(step.batch());
                        add(e, BundleStepReference.MOE_INCLUDED + "step:" + step.kind(), m);
                        add(e, BundleStepReference.MOE_INCLUDED + "step:all", m);
                    }
                }
                rows.add(new Row(held.gpuId(), "bundle " + test.bundle().model().name() + " tp" + test.tp(),
                        reference.note(), stats(e)));
            }
        }
        return rows;
    }

    /** Per-op errors of every measured row of the held-out GPU (shared by all its step references). */
    private static Map<String, List<Double>> opErrors(GpuData held, GpuSpec gpu, GpuCatalog catalog,
            RooflineEfficiency eff) {
        Map<String, List<Double>> e = new LinkedHashMap<>();
        if (held.tables() != null) {
            OperatorCosts costs = new OperatorCosts(gpu, eff);
            for (KernelTables.Gemm g : held.tables().gemms()) {
                add(e, "gemm", costs.gemmUs(g.m(), g.k(), g.n(), 2) / g.us() - 1);
            }
            double[] predicted = SharedFit.attentionPredictions(held.tables(), gpu, eff);
            List<KernelTables.Attention> rows = held.tables().attention();
            for (int i = 0; i < predicted.length; i++) {
                KernelTables.Attention a = rows.get(i);
                add(e, a.context() ? "attn context" : "attn generation", predicted[i] / a.us() - 1);
            }
        }
        if (held.moe() != null) {
            for (MoeKernelTable.Row r : held.moe().balancedRows()) {
                add(e, "moe", MoeEpValidation.modelUs(gpu, held.moe().layer(), eff, r.ep(), r.tokens()) / r.us() - 1);
            }
        }
        for (OperatorSamples group : held.bundles()) {
            RooflineStepTimeModel m = RooflineCalibration.model(group, catalog, eff);
            for (OperatorSamples.OpSample s : group.ops()) {
                Op.OpClass c = s.op().opClass();
                if (c == Op.OpClass.GEMM || c == Op.OpClass.LM_HEAD) {
                    add(e, "gemm", m.opUs(s.op(), s.x()) / s.measuredUs() - 1);
                } else if (c == Op.OpClass.MOE) {
                    add(e, "moe", m.opUs(s.op(), s.x()) / s.measuredUs() - 1);
                }
            }
            for (OperatorSamples.AttentionSample s : group.attention()) {
                add(e, "attn bundle grid",
                        m.attentionUs(s.chunk(), s.kvPrefill(), s.nDecode(), s.kvDecode()) / s.measuredUs() - 1);
            }
        }
        return e;
    }

    private static void add(Map<String, List<Double>> e, String key, double error) {
        e.computeIfAbsent(key, k -> new ArrayList<>()).add(error);
    }

    private static void addStep(Map<String, List<Double>> e, String kind, double error) {
        add(e, "step:" + kind, error);
        add(e, "step:all", error);
    }

    private static Map<String, List<Double>> copy(Map<String, List<Double>> ops) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        ops.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    private static Map<String, ErrorStats> stats(Map<String, List<Double>> e) {
        Map<String, ErrorStats> out = new LinkedHashMap<>();
        e.forEach((k, v) -> out.put(k, ErrorStats.of(v)));
        return out;
    }

    static final String[] COLUMNS = {"gemm", "moe", "attn context", "attn generation", "attn bundle grid",
        "step:decode", "step:prefill", "step:mixed", "step:all"};

    /** Markdown: one row per held-out GPU and step reference, cells "mean|err| / max|err|" in percent. */
    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| held-out GPU | whole-step reference |");
        for (String c : COLUMNS) {
            sb.append(' ').append(c).append(" |");
        }
        sb.append("\n|---|---|").append("---|".repeat(COLUMNS.length)).append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.gpuId()).append(" | ").append(r.label()).append(" |");
            for (String c : COLUMNS) {
                ErrorStats s = r.errors().get(c);
                sb.append(s == null ? " – |" : String.format(Locale.ROOT, " %.1f / %.0f |", 100 * s.meanAbs(), 100 * s.maxAbs()));
            }
            sb.append('\n');
        }
        sb.append("\nSigned mean error of whole steps (roofline − measured): ");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s (%s) %+.1f %%; ", r.gpuId(), r.label(),
                    100 * r.errors().get("step:all").meanSigned()));
        }
        sb.append('\n').append(BundleStepReference.moeIncludedLines(
                rows.stream().map(r -> r.gpuId() + " " + r.reference()).toList(), rows.stream().map(Row::errors).toList()));
        return sb.toString();
    }
}
