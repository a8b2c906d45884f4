package io.agentservesim.perf.roofline;

import io.agentservesim.error.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

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
        long lineNo = 1;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String head = in.readLine();
            if (head == null) {
                throw InputException.at(file, 1, "empty MoE kernel table");
            }
            String[] h = head.split(",");
            int cTokens = index(h, "num_tokens", file);
            int cHidden = index(h, "hidden_size", file);
            int cInter = index(h, "inter_size", file);
            int cTopk = index(h, "topk", file);
            int cExperts = index(h, "num_experts", file);
            int cTp = index(h, "moe_tp_size", file);
            int cEp = index(h, "moe_ep_size", file);
            int cDist = index(h, "distribution", file);
            int cDtype = index(h, "moe_dtype", file);
            int cLat = index(h, "latency", file);
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String[] c = line.split(",", -1);
                if (c.length != h.length) {
                    throw InputException.at(file, lineNo, "expected " + h.length + " columns, got " + c.length);
                }
                if (!c[cDtype].equals("bfloat16") || Integer.parseInt(c[cHidden]) != hidden
                        || Integer.parseInt(c[cInter]) != inter || Integer.parseInt(c[cTopk]) != topk
                        || Integer.parseInt(c[cExperts]) != experts) {
                    continue;
                }
                String key = key(Integer.parseInt(c[cTp]), Integer.parseInt(c[cEp]), c[cDist]);
                int t = Integer.parseInt(c[cTokens]);
                sum.computeIfAbsent(key, k -> new TreeMap<>()).merge(t, Double.parseDouble(c[cLat]) * 1000.0, Double::sum);
                count.computeIfAbsent(key, k -> new TreeMap<>()).merge(t, 1, Integer::sum);
            }
        } catch (IOException e) {
            throw InputException.at(file, "cannot read MoE kernel table: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw InputException.at(file, lineNo, "bad number: " + e.getMessage());
        }
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

    private static int index(String[] header, String name, Path file) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw InputException.at(file, 1, "missing column " + name);
    }
}
