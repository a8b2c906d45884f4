package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The roofline's MoE layer ({@link RooflineStepTimeModel#opUs} of {@link Op#MOE}: vLLM's fused-MoE
 * kernels on the busiest expert-parallel shard, {@link FusedMoeKernel}) against NVIDIA AIConfigurator's
 * measured vLLM fused-MoE kernel ({@link MoeKernelTable}) for Qwen3-30B-A3B's expert shape (hidden 2048,
 * expert width 768, top-8 of 128), at EP 1/2/4/8 (moe_tp 1) and at moe_tp 2/4 (EP 1). Only expert
 * compute is compared: the kernel table holds no router and no all-to-all.
 *
 * <p>Balanced routing, per GPU and EP degree: the mean and max |relative error| over every measured
 * token count 1..{@link MoeKernelTable#MAX_TOKENS} (rows measured faster than their ideal roofline, cache-resident
 * in the benchmark, counted and left out) and the EP1→EPn speed-up at {@link #LARGE_TOKENS},
 * (a) with the shipped calibration (its MoE factors fitted on these rows: in-sample) and (b) leave one
 * GPU out: the held-out GPU's shipped factors with the MoE factors of a fit on the other GPUs only
 * ({@link SharedFit#fitGemmAndMoe}). Skewed routing: the time ratio power_law_1.2 / balanced measured at
 * {@link #LARGE_TOKENS} against the roofline's {@code ZIPF} (s = 1.2, hottest experts contiguous on shard
 * 0) / {@code BALANCED}. A100 and L40S (vLLM 0.14 tables) have no balanced rows and are left out.
 */
public final class MoeEpValidation {
    /** Token count of the speed-up and skew ratios. */
    public static final int LARGE_TOKENS = 8192;
    /** The MoE tensor-parallel degrees compared at EP 1 (expert width 768 / tp). */
    public static final int[] TP = {2, 4};

    /** Balanced routing at one EP degree on one GPU; errors are (model − measured) / measured. */
    public record EpRow(String gpu, int ep, int points, int cacheResident, double meanAbsError, double maxAbsError,
            double measuredUsLarge, double modelUsLarge, double measuredSpeedup, double modelSpeedup,
            double logoMeanAbsError, double logoMaxAbsError, double logoSpeedup) { }

    /** power_law_1.2 / balanced at {@link #LARGE_TOKENS} on one GPU and EP degree. */
    public record SkewRow(String gpu, int ep, double measuredRatio, double modelRatio) { }

    /** Balanced routing at EP 1 with experts split in width over {@code tp} GPUs (shipped factors). */
    public record TpRow(String gpu, int tp, int points, int cacheResident, double meanAbsError, double maxAbsError) { }

    /** The MoE factors of one GPU: shipped (fitted with its own rows) and fitted without it. */
    public record Factors(String gpu, double flopFraction, double bandwidthFraction, double smBandwidthGbps,
            double logoFlopFraction, double logoBandwidthFraction, double logoSmBandwidthGbps) { }

    /**
     * Power-law routing at EP 1 on one GPU (power_law_&lt;s&gt; rows, tokens 1..{@link MoeKernelTable#MAX_TOKENS},
     * priced with the roofline's Zipf routing of exponent s), with the shipped factors and with the MoE factors
     * of the {@code default} entry, which a GPU without MoE data gets. {@code fitted}: the GPU's own refit used
     * these rows (A100 and L40S, whose tables have no balanced rows); elsewhere neither column saw them.
     */
    public record PowerLawRow(String gpu, double zipfS, boolean fitted, int points, double meanAbsError,
            double maxAbsError, double signedError, double defaultMeanAbsError, double defaultMaxAbsError,
            double defaultSignedError) { }

    /** All rows of one run. */
    public record Result(List<EpRow> ep, List<SkewRow> skew, List<TpRow> tp, List<Factors> factors,
            List<PowerLawRow> powerLaw) { }

    private MoeEpValidation() { }

    /** The roofline's MoE layer time in µs at {@code tokens}, under {@code routing}. */
    static double modelUs(GpuSpec gpu, ModelShape layer, RooflineEfficiency eff, MoeRouting routing, int tp,
            int tokens) {
        return new RooflineStepTimeModel(gpu, layer, tp, eff, null, routing).opUs(Op.MOE, tokens);
    }

    /** The roofline's MoE layer time in µs at {@code tokens}, balanced routing, this GPU holding 1/ep of the experts. */
    static double modelUs(GpuSpec gpu, ModelShape layer, RooflineEfficiency eff, int ep, int tokens) {
        return modelUs(gpu, layer, eff, MoeRouting.of(MoeRouting.Kind.BALANCED, 0, layer.numExperts(), ep), 1, tokens);
    }

    public static Result run(CalibrationData data, GpuCatalog catalog, RooflineFactors factors) {
        List<GpuData> all = GpuData.discover(data, catalog);
        List<GpuData> withMoe = all.stream().filter(g -> g.moe() != null && g.moe().hasBalanced()).toList();
        // Leave one GPU out: the MoE factors a calibration without that GPU's data would ship as default.
        List<RooflineEfficiency> logo = IntStream.range(0, withMoe.size()).parallel()
                .mapToObj(i -> new SharedFit(SharedFit.without(all, withMoe.get(i).gpuId()), catalog).fitGemmAndMoe())
                .toList();
        List<EpRow> epRows = new ArrayList<>();
        List<SkewRow> skewRows = new ArrayList<>();
        List<TpRow> tpRows = new ArrayList<>();
        List<Factors> factorRows = new ArrayList<>();
        for (int i = 0; i < withMoe.size(); i++) {
            MoeKernelTable table = withMoe.get(i).moe();
            ModelShape layer = table.layer();
            int e = layer.numExperts();
            GpuSpec gpu = catalog.get(withMoe.get(i).gpuId());
            RooflineEfficiency eff = factors.forGpu(gpu);
            RooflineEfficiency held = eff.with(RooflineEfficiency.MOE, logo.get(i).moeFlopFraction(),
                    logo.get(i).moeBandwidthFraction(), logo.get(i).moeSmBandwidthGbps());
            factorRows.add(new Factors(gpu.id(), eff.moeFlopFraction(), eff.moeBandwidthFraction(),
                    eff.moeSmBandwidthGbps(), held.moeFlopFraction(), held.moeBandwidthFraction(),
                    held.moeSmBandwidthGbps()));
            double meas1 = table.series(1, 1, "balanced").get(LARGE_TOKENS);
            double mod1 = modelUs(gpu, layer, eff, 1, LARGE_TOKENS);
            double logo1 = modelUs(gpu, layer, held, 1, LARGE_TOKENS);
            for (int ep : MoeKernelTable.EP) {
                TreeMap<Integer, Double> measured = table.series(1, ep, "balanced");
                java.util.function.IntToDoubleFunction ideal = t -> modelUs(gpu, layer, SharedFit.IDEAL, ep, t);
                double[] shipped = errors(measured, t -> modelUs(gpu, layer, eff, ep, t), ideal);
                double[] out = errors(measured, t -> modelUs(gpu, layer, held, ep, t), ideal);
                double measLarge = measured.get(LARGE_TOKENS);
                double modLarge = modelUs(gpu, layer, eff, ep, LARGE_TOKENS);
                epRows.add(new EpRow(gpu.id(), ep, (int) shipped[2], (int) shipped[3], shipped[0], shipped[1], measLarge, modLarge,
                        meas1 / measLarge, mod1 / modLarge, out[0], out[1],
                        logo1 / modelUs(gpu, layer, held, ep, LARGE_TOKENS)));
                Double skewed = table.series(1, ep, "power_law_1.2").get(LARGE_TOKENS);
                if (skewed != null) {
                    double zipf = modelUs(gpu, layer, eff, MoeRouting.of(MoeRouting.Kind.ZIPF, 1.2, e, ep), 1, LARGE_TOKENS);
                    skewRows.add(new SkewRow(gpu.id(), ep, skewed / measLarge, zipf / modLarge));
                }
            }
            MoeRouting ep1 = MoeRouting.balanced(e);
            for (int tp : TP) {
                double[] err = errors(table.series(tp, 1, "balanced"), t -> modelUs(gpu, layer, eff, ep1, tp, t),
                        t -> modelUs(gpu, layer, SharedFit.IDEAL, ep1, tp, t));
                if (err[2] > 0) {
                    tpRows.add(new TpRow(gpu.id(), tp, (int) err[2], (int) err[3], err[0], err[1]));
                }
            }
        }
        return new Result(List.copyOf(epRows), List.copyOf(skewRows), List.copyOf(tpRows), List.copyOf(factorRows),
                powerLawRows(all, catalog, factors));
    }

    /** {@link PowerLawRow}s of every GPU with power-law EP 1 rows, in catalog order. */
    private static List<PowerLawRow> powerLawRows(List<GpuData> all, GpuCatalog catalog, RooflineFactors factors) {
        List<PowerLawRow> out = new ArrayList<>();
        for (GpuData g : all) {
            if (g.moe() == null) {
                continue;
            }
            GpuSpec gpu = catalog.get(g.gpuId());
            RooflineEfficiency shipped = factors.forGpu(gpu);
            RooflineEfficiency d = factors.defaults();
            RooflineEfficiency byDefault = shipped.with(RooflineEfficiency.MOE, d.moeFlopFraction(),
                    d.moeBandwidthFraction(), d.moeSmBandwidthGbps());
            for (double s : MoeKernelTable.POWER_LAW_S) {
                List<MoeKernelTable.SkewedRow> rows = new ArrayList<>();
                for (MoeKernelTable.SkewedRow r : g.moe().powerLawEp1Rows()) {
                    if (r.zipfS() == s && r.us() >= SharedFit.skewedUs(gpu, g.moe(), SharedFit.IDEAL, r)) {
                        rows.add(r);
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                double[] a = skewedErrors(gpu, g.moe(), shipped, rows);
                double[] b = skewedErrors(gpu, g.moe(), byDefault, rows);
                out.add(new PowerLawRow(gpu.id(), s, !g.moe().hasBalanced(), rows.size(), a[0], a[1], a[2], b[0], b[1],
                        b[2]));
            }
        }
        return List.copyOf(out);
    }

    /** Mean |error|, max |error| and mean signed error of {@code eff} on {@code rows}. */
    private static double[] skewedErrors(GpuSpec gpu, MoeKernelTable table, RooflineEfficiency eff,
            List<MoeKernelTable.SkewedRow> rows) {
        double sum = 0;
        double max = 0;
        double signed = 0;
        for (MoeKernelTable.SkewedRow r : rows) {
            double err = SharedFit.skewedUs(gpu, table, eff, r) / r.us() - 1.0;
            sum += Math.abs(err);
            signed += err;
            max = Math.max(max, Math.abs(err));
        }
        return new double[] {sum / rows.size(), max, signed / rows.size()};
    }

    /**
     * Mean and max |model / measured − 1|, the count of rows compared and the count left out, over the rows
     * up to {@link MoeKernelTable#MAX_TOKENS}. A row measured faster than {@code ideal} (the call at peak
     * FLOP/s and DRAM bandwidth, {@link SharedFit#IDEAL}) ran from cache in the benchmark, which a served
     * model's MoE layer does not ({@link SharedFit#dramReachable}); it is counted, not compared.
     */
    private static double[] errors(TreeMap<Integer, Double> measured, java.util.function.IntToDoubleFunction model,
            java.util.function.IntToDoubleFunction ideal) {
        double sum = 0;
        double max = 0;
        int n = 0;
        int resident = 0;
        for (Map.Entry<Integer, Double> m : measured.headMap(MoeKernelTable.MAX_TOKENS, true).entrySet()) {
            if (m.getValue() < ideal.applyAsDouble(m.getKey())) {
                resident++;
                continue;
            }
            double err = Math.abs(model.applyAsDouble(m.getKey()) / m.getValue() - 1.0);
            sum += err;
            max = Math.max(max, err);
            n++;
        }
        return new double[] {n == 0 ? 0 : sum / n, max, n, resident};
    }

    /** The tables as Markdown. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("| GPU | EP | points | cache-resident (left out) | mean abs err | max abs err | measured us @" + LARGE_TOKENS
                + " | model us @" + LARGE_TOKENS + " | measured speed-up vs EP1 | model speed-up vs EP1"
                + " | held out: mean / max abs err | held out: speed-up |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (EpRow x : r.ep()) {
            sb.append(String.format(Locale.ROOT,
                    "| %s | %d | %d | %d | %.1f%% | %.1f%% | %.0f | %.0f | %.2fx | %.2fx | %.1f%% / %.1f%% | %.2fx |%n",
                    x.gpu(), x.ep(), x.points(), x.cacheResident(), 100 * x.meanAbsError(), 100 * x.maxAbsError(), x.measuredUsLarge(),
                    x.modelUsLarge(), x.measuredSpeedup(), x.modelSpeedup(), 100 * x.logoMeanAbsError(),
                    100 * x.logoMaxAbsError(), x.logoSpeedup()));
        }
        sb.append("\n| GPU | shipped: moe_flop_fraction / moe_bandwidth_fraction / moe_sm_bandwidth_gbps"
                + " | fitted without this GPU |\n|---|---|---|\n");
        for (Factors f : r.factors()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f / %.3f / %.1f | %.3f / %.3f / %.1f |%n", f.gpu(),
                    f.flopFraction(), f.bandwidthFraction(), f.smBandwidthGbps(), f.logoFlopFraction(),
                    f.logoBandwidthFraction(), f.logoSmBandwidthGbps()));
        }
        sb.append("\n| GPU | moe_tp (EP 1) | points | cache-resident (left out) | mean abs err | max abs err |\n"
                + "|---|---|---|---|---|---|\n");
        for (TpRow x : r.tp()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f%% | %.1f%% |%n", x.gpu(), x.tp(), x.points(),
                    x.cacheResident(),
                    100 * x.meanAbsError(), 100 * x.maxAbsError()));
        }
        sb.append("\n| GPU | power law s (EP 1) | fitted on | points | shipped: mean / max / signed err"
                + " | default MoE factors: mean / max / signed err |\n|---|---|---|---|---|---|\n");
        for (PowerLawRow x : r.powerLaw()) {
            sb.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %d | %.1f%% / %.1f%% / %+.1f%% | %.1f%% / %.1f%% / %+.1f%% |%n",
                    x.gpu(), x.zipfS(), x.fitted() ? "these rows (own refit)" : "balanced rows", x.points(),
                    100 * x.meanAbsError(), 100 * x.maxAbsError(), 100 * x.signedError(), 100 * x.defaultMeanAbsError(),
                    100 * x.defaultMaxAbsError(), 100 * x.defaultSignedError()));
        }
        sb.append("\n| GPU | EP | measured power_law_1.2 / balanced @" + LARGE_TOKENS
                + " | model zipf1.2 / balanced @" + LARGE_TOKENS + " |\n|---|---|---|---|\n");
        for (SkewRow x : r.skew()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", x.gpu(), x.ep(), x.measuredRatio(),
                    x.modelRatio()));
        }
        return sb.toString();
    }
}
