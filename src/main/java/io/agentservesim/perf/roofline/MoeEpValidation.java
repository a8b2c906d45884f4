package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.parallel.MoeRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The roofline's MoE layer ({@link RooflineStepTimeModel#opUs} of {@link Op#MOE}: the busiest
 * expert-parallel shard's grouped GEMMs and activation, priced with the GPU's shipped calibration
 * factors) against NVIDIA AIConfigurator's measured vLLM fused-MoE kernel ({@link MoeKernelTable}) for
 * Qwen3-30B-A3B's expert shape (hidden 2048, expert width 768, top-8 of 128), moe_tp_size 1, at EP
 * 1/2/4/8. Only expert compute is compared: the kernel table holds no all-to-all. Nothing is fitted.
 *
 * <p>Balanced routing: per GPU and EP degree the mean and max |relative error| over every measured
 * token count 1..8192, and the EP1→EPn speed-up measured and modelled at {@link #LARGE_TOKENS}.
 * Skewed routing: the time ratio power_law_1.2 / balanced measured at {@link #LARGE_TOKENS} against
 * the roofline's {@code ZIPF} (s = 1.2, hottest experts contiguous on shard 0) / {@code BALANCED}.
 * A100 and L40S (vLLM 0.14 tables) have no balanced rows and are left out.
 */
public final class MoeEpValidation {
    /** The expert-parallel degrees compared. */
    public static final int[] EP = {1, 2, 4, 8};
    /** Largest token count in the error statistics. */
    public static final int MAX_TOKENS = 8192;
    /** Token count of the speed-up and skew ratios. */
    public static final int LARGE_TOKENS = 8192;

    /** Balanced routing at one EP degree on one GPU; errors are (model − measured) / measured. */
    public record EpRow(String gpu, int ep, int points, double meanAbsError, double maxAbsError,
            double measuredUsLarge, double modelUsLarge, double measuredSpeedup, double modelSpeedup) { }

    /** power_law_1.2 / balanced at {@link #LARGE_TOKENS} on one GPU and EP degree. */
    public record SkewRow(String gpu, int ep, double measuredRatio, double modelRatio) { }

    /** All rows of one run. */
    public record Result(List<EpRow> ep, List<SkewRow> skew) { }

    private MoeEpValidation() { }

    /** One MoE layer of {@code model} (its other layers dropped, so any GPU holds it). */
    static ModelShape oneLayer(ModelShape m) {
        return new ModelShape(m.name() + "-1layer", 1, m.hiddenSize(), m.numAttentionHeads(), m.numKeyValueHeads(),
                m.headDim(), m.intermediateSize(), m.vocabSize(), m.numExperts(), m.expertsPerToken(),
                m.moeIntermediateSize(), m.dtypeBytes(), m.tieWordEmbeddings());
    }

    /** The roofline's MoE layer time in µs at {@code tokens}, under {@code routing}. */
    static double modelUs(GpuSpec gpu, ModelShape layer, RooflineEfficiency eff, MoeRouting routing, int tokens) {
        return new RooflineStepTimeModel(gpu, layer, 1, eff, null, routing).opUs(Op.MOE, tokens);
    }

    public static Result run(Path aicRoot, Path modelJson, GpuCatalog catalog, RooflineFactors factors) {
        ModelShape layer = oneLayer(ModelShape.load(modelJson));
        int e = layer.numExperts();
        List<EpRow> epRows = new ArrayList<>();
        List<SkewRow> skewRows = new ArrayList<>();
        for (String id : catalog.ids()) {
            Path file = tableFile(aicRoot.resolve(id));
            if (file == null) {
                continue;
            }
            MoeKernelTable table = MoeKernelTable.read(file, layer.hiddenSize(), layer.moeIntermediateSize(),
                    layer.expertsPerToken(), e);
            if (table.series(1, 1, "balanced").isEmpty()) {
                continue;
            }
            GpuSpec gpu = catalog.get(id);
            RooflineEfficiency eff = factors.forGpu(gpu);
            MoeRouting ep1 = MoeRouting.of(MoeRouting.Kind.BALANCED, 0, e, 1);
            double meas1 = table.series(1, 1, "balanced").get(LARGE_TOKENS);
            double mod1 = modelUs(gpu, layer, eff, ep1, LARGE_TOKENS);
            for (int ep : EP) {
                MoeRouting balanced = MoeRouting.of(MoeRouting.Kind.BALANCED, 0, e, ep);
                TreeMap<Integer, Double> measured = table.series(1, ep, "balanced");
                double sum = 0;
                double max = 0;
                int n = 0;
                for (Map.Entry<Integer, Double> m : measured.headMap(MAX_TOKENS, true).entrySet()) {
                    double err = Math.abs(modelUs(gpu, layer, eff, balanced, m.getKey()) / m.getValue() - 1.0);
                    sum += err;
                    max = Math.max(max, err);
                    n++;
                }
                double measLarge = measured.get(LARGE_TOKENS);
                double modLarge = modelUs(gpu, layer, eff, balanced, LARGE_TOKENS);
                epRows.add(new EpRow(id, ep, n, sum / n, max, measLarge, modLarge, meas1 / measLarge, mod1 / modLarge));
                Double skewed = table.series(1, ep, "power_law_1.2").get(LARGE_TOKENS);
                if (skewed != null) {
                    double zipf = modelUs(gpu, layer, eff, MoeRouting.of(MoeRouting.Kind.ZIPF, 1.2, e, ep), LARGE_TOKENS);
                    skewRows.add(new SkewRow(id, ep, skewed / measLarge, zipf / modLarge));
                }
            }
        }
        return new Result(List.copyOf(epRows), List.copyOf(skewRows));
    }

    /** {@code <system>/vllm-<ver>/moe_perf.csv.gz}, the first version folder that has one, or null. */
    static Path tableFile(Path system) {
        if (!Files.isDirectory(system)) {
            return null;
        }
        try (var s = Files.list(system)) {
            return s.filter(p -> p.getFileName().toString().startsWith("vllm-"))
                    .map(p -> p.resolve("moe_perf.csv.gz")).filter(Files::exists).sorted().findFirst().orElse(null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The two tables as Markdown. */
    public static String markdown(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("| GPU | EP | points | mean abs err | max abs err | measured us @" + LARGE_TOKENS
                + " | model us @" + LARGE_TOKENS + " | measured speed-up vs EP1 | model speed-up vs EP1 |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|\n");
        for (EpRow x : r.ep()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f%% | %.1f%% | %.0f | %.0f | %.2fx | %.2fx |%n",
                    x.gpu(), x.ep(), x.points(), 100 * x.meanAbsError(), 100 * x.maxAbsError(), x.measuredUsLarge(),
                    x.modelUsLarge(), x.measuredSpeedup(), x.modelSpeedup()));
        }
        sb.append("\n| GPU | EP | measured power_law_1.2 / balanced @" + LARGE_TOKENS
                + " | model zipf1.2 / balanced @" + LARGE_TOKENS + " |\n|---|---|---|---|\n");
        for (SkewRow x : r.skew()) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", x.gpu(), x.ep(), x.measuredRatio(),
                    x.modelRatio()));
        }
        return sb.toString();
    }

    /** Prints the tables. Args: [aic perf root] [model config json]. */
    public static void main(String[] args) {
        Path aic = Path.of(args.length > 0 ? args[0] : "data/aiconfigurator/perf");
        Path model = Path.of(args.length > 1 ? args[1] : "data/llmservingsim/models/Qwen/Qwen3-30B-A3B-Instruct-2507.json");
        System.out.print(markdown(run(aic, model, GpuCatalog.builtin(), RooflineFactors.builtin())));
    }
}
