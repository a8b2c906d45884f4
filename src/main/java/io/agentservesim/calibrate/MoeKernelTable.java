package io.agentservesim.calibrate;

import io.agentservesim.model.ModelShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NVIDIA AIConfigurator's measured vLLM fused-MoE kernel times of one GPU ({@code moe_perf.csv.gz},
 * the BF16 rows of one expert shape copied under {@code data/aiconfigurator/perf/<system>/vllm-<ver>/},
 * see its PROVENANCE.md): one MoE layer call (both grouped GEMMs and the activation, no all-to-all, no
 * router) on expert-parallel rank 0, for {@code num_tokens} tokens routed over all experts. Times in µs,
 * keyed by (moe_tp_size, moe_ep_size, distribution) then num_tokens; repeated rows are averaged.
 */
public final class MoeKernelTable {
    /** The model whose expert shape the copied rows have (see PROVENANCE.md), under the models folder. */
    public static final String SHAPE_MODEL = "Qwen/Qwen3-30B-A3B-Instruct-2507.json";
    /** The expert-parallel degrees compared and fitted (moe_tp 1, balanced routing). */
    public static final int[] EP = {1, 2, 4, 8};
    /** Largest token count compared and fitted. */
    public static final int MAX_TOKENS = 8192;

    /** One measured call: {@code tokens} routed over all experts, this GPU holding 1/ep of them. */
    public record Row(int tokens, int ep, double us) { }

    /** The power-law routings measured at EP 1 (AIConfigurator's power_law_&lt;s&gt; distributions). */
    public static final double[] POWER_LAW_S = {1.01, 1.2};

    /** One measured EP 1 call with expert loads drawn from a power law of exponent {@code zipfS}. */
    public record SkewedRow(int tokens, double zipfS, double us) { }

    private final ModelShape layer;
    private final Map<String, TreeMap<Integer, Double>> us;

    private MoeKernelTable(ModelShape layer, Map<String, TreeMap<Integer, Double>> us) {
        this.layer = layer;
        this.us = us;
    }

    /**
     * {@code <system>/vllm-<ver>/moe_perf.csv.gz} of {@code system} read for the expert shape of
     * {@code layer}, or null if the system has no such table, or neither balanced moe_tp 1 rows nor
     * power-law EP 1 rows (the vLLM 0.14 tables of A100 and L40S hold power-law rows only).
     */
    public static MoeKernelTable find(Path system, ModelShape layer) {
        if (!Files.isDirectory(system)) {
            return null;
        }
        Path file;
        try (var s = Files.list(system)) {
            file = s.filter(p -> p.getFileName().toString().startsWith("vllm-"))
                    .map(p -> p.resolve("moe_perf.csv.gz")).filter(Files::exists).sorted().findFirst().orElse(null);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (file == null) {
            return null;
        }
        MoeKernelTable t = read(file, layer);
        return t.hasBalanced() || !t.powerLawEp1Rows().isEmpty() ? t : null;
    }

    /**
     * The rows of {@code file} with the expert shape of {@code layer} (hidden, moe intermediate size,
     * experts per token, experts) and {@code moe_dtype} bfloat16.
     */
    public static MoeKernelTable read(Path file, ModelShape layer) {
        int hidden = layer.hiddenSize();
        int inter = layer.moeIntermediateSize();
        int topk = layer.expertsPerToken();
        int experts = layer.numExperts();
        Map<String, TreeMap<Integer, Double>> sum = new TreeMap<>();
        Map<String, TreeMap<Integer, Integer>> count = new TreeMap<>();
        GzCsv.read(file, "MoE kernel table", csv -> {
            int cTokens = csv.column("num_tokens");
            int cHidden = csv.column("hidden_size");
            int cInter = csv.column("inter_size");
            int cTopk = csv.column("topk");
            int cExperts = csv.column("num_experts");
            int cTp = csv.column("moe_tp_size");
            int cEp = csv.column("moe_ep_size");
            int cDist = csv.column("distribution");
            int cDtype = csv.column("moe_dtype");
            int cLat = csv.column("latency");
            return (c, line) -> {
                if (!c[cDtype].equals("bfloat16") || Integer.parseInt(c[cHidden]) != hidden
                        || Integer.parseInt(c[cInter]) != inter || Integer.parseInt(c[cTopk]) != topk
                        || Integer.parseInt(c[cExperts]) != experts) {
                    return;
                }
                String key = key(Integer.parseInt(c[cTp]), Integer.parseInt(c[cEp]), c[cDist]);
                int t = Integer.parseInt(c[cTokens]);
                sum.computeIfAbsent(key, k -> new TreeMap<>()).merge(t, Double.parseDouble(c[cLat]) * 1000.0, Double::sum);
                count.computeIfAbsent(key, k -> new TreeMap<>()).merge(t, 1, Integer::sum);
            };
        });
        sum.forEach((k, m) -> m.replaceAll((t, s) -> s / count.get(k).get(t)));
        return new MoeKernelTable(layer, sum);
    }

    /** The balanced, moe_tp 1 rows at the degrees of {@link #EP} and at most {@link #MAX_TOKENS} tokens. */
    public List<Row> balancedRows() {
        List<Row> out = new ArrayList<>();
        for (int ep : EP) {
            for (Map.Entry<Integer, Double> e : series(1, ep, "balanced").headMap(MAX_TOKENS, true).entrySet()) {
                out.add(new Row(e.getKey(), ep, e.getValue()));
            }
        }
        return out;
    }

    /** Whether balanced moe_tp 1 rows were measured (the rows the MoE factors are fitted on where they exist). */
    public boolean hasBalanced() {
        return !series(1, 1, "balanced").isEmpty();
    }

    /** The moe_tp 1, EP 1 rows of each {@link #POWER_LAW_S} routing, at most {@link #MAX_TOKENS} tokens. */
    public List<SkewedRow> powerLawEp1Rows() {
        List<SkewedRow> out = new ArrayList<>();
        for (double s : POWER_LAW_S) {
            String dist = "power_law_" + s;
            for (Map.Entry<Integer, Double> e : series(1, 1, dist).headMap(MAX_TOKENS, true).entrySet()) {
                out.add(new SkewedRow(e.getKey(), s, e.getValue()));
            }
        }
        return out;
    }

    /** One decoder layer of {@code m} (its other layers dropped, so any GPU holds it). */
    public static ModelShape oneLayer(ModelShape m) {
        return new ModelShape(m.name() + "-1layer", 1, m.hiddenSize(), m.numAttentionHeads(), m.numKeyValueHeads(),
                m.headDim(), m.intermediateSize(), m.vocabSize(), m.numExperts(), m.expertsPerToken(),
                m.moeIntermediateSize(), m.dtypeBytes(), m.tieWordEmbeddings());
    }

    /** The one-layer model whose expert shape the rows have. */
    public ModelShape layer() {
        return layer;
    }

    /** num_tokens → µs for this split and routing distribution (empty if not measured). */
    public TreeMap<Integer, Double> series(int tp, int ep, String distribution) {
        return us.getOrDefault(key(tp, ep, distribution), new TreeMap<>());
    }

    private static String key(int tp, int ep, String distribution) {
        return tp + "/" + ep + "/" + distribution;
    }
}
