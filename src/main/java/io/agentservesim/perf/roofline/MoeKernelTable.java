package io.agentservesim.perf.roofline;

import java.nio.file.Path;
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
    private final Map<String, TreeMap<Integer, Double>> us;

    private MoeKernelTable(Map<String, TreeMap<Integer, Double>> us) {
        this.us = us;
    }

    /**
     * The rows of {@code file} with this expert shape (hidden, inter, topk, experts) and
     * {@code moe_dtype} bfloat16.
     */
    public static MoeKernelTable read(Path file, int hidden, int inter, int topk, int experts) {
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
        return new MoeKernelTable(sum);
    }

    /** num_tokens → µs for this split and routing distribution (empty if not measured). */
    public TreeMap<Integer, Double> series(int tp, int ep, String distribution) {
        return us.getOrDefault(key(tp, ep, distribution), new TreeMap<>());
    }

    private static String key(int tp, int ep, String distribution) {
        return tp + "/" + ep + "/" + distribution;
    }
}
