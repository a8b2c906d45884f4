package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An out-of-sample check of the shipped roofline factors against Vidur's measurements (data/vidur, see
 * its PROVENANCE.md), which no fit has seen: the GEMMs of three models on A100 and H100 at TP 1-8, and
 * NCCL all-reduce within an 8-GPU NVSwitch node. Each GPU's shipped entry of
 * {@code roofline-calibration.yaml} (fitted on AIConfigurator's tables) prices every measured row;
 * error = roofline / measured − 1. Vidur measured {@code torch.distributed.all_reduce}, i.e. NCCL, at
 * every size; its {@code size} column is bytes (Vidur's profiler writes {@code size * 2  # bytes} for
 * an fp16 buffer of {@code size} elements, and its predictor divides by 2·hidden to get tokens). Each
 * all-reduce group is priced twice: as the simulator prices it (vLLM's dispatch: custom all-reduce below
 * 8 MiB, which Vidur did not measure, NCCL above) and with the NCCL factors alone, the like-for-like
 * comparison. {@code asim calibrate} prints both tables with the factors it fitted (and, with
 * {@code --compare FILE}, the all-reduce table with another calibration file).
 */
public final class VidurCrossCheck {
    /** One compared group, e.g. "a100_sxm | Meta-Llama-3-8B | qkv" or "h100_sxm | all-reduce 8 GPUs, ≥ 8 MiB | NCCL". */
    public record Row(String group, ErrorStats error) { }

    /** (Vidur SKU folder, catalog id, model folders). */
    private record Sku(String folder, String gpuId, String node, List<String> models) { }

    private static final List<Sku> SKUS = List.of(
            new Sku("a100", "a100_sxm", "a100_dgx", List.of("meta-llama/Meta-Llama-3-8B")),
            new Sku("h100", "h100_sxm", "h100_dgx", List.of("meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-70b-hf")));

    private static final String[] OPS = {"attn_pre_proj", "attn_post_proj", "mlp_up_proj", "mlp_down_proj"};
    private static final String[] OP_NAMES = {"qkv", "o_proj", "gate_up", "down"};

    private VidurCrossCheck() {
    }

    /** GEMM rows per (GPU, model, op), over every num_tokens and TP degree Vidur measured. */
    public static List<Row> gemms(Path root, RooflineFactors factors) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<Row> rows = new ArrayList<>();
        for (Sku sku : SKUS) {
            GpuSpec gpu = catalog.get(sku.gpuId());
            OperatorCosts costs = new OperatorCosts(gpu, factors.forGpu(gpu));
            for (String model : sku.models()) {
                Path file = root.resolve("compute/" + sku.folder() + "/" + model + "/mlp.csv.gz");
                Map<String, List<Double>> errors = new LinkedHashMap<>();
                for (Map<String, String> r : read(file)) {
                    double m = number(r, "num_tokens", file);
                    double tp = number(r, "num_tensor_parallel_workers", file);
                    double hidden = number(r, "n_embd", file);
                    double heads = number(r, "n_head", file);
                    double kvHeads = number(r, "n_kv_head", file);
                    double ffn = number(r, "n_expanded_embd", file);
                    double headDim = hidden / heads;
                    double[][] kn = {
                            {hidden, (heads + 2 * kvHeads) * headDim / tp},
                            {heads * headDim / tp, hidden},
                            {hidden, 2 * ffn / tp},
                            {ffn / tp, hidden}};
                    for (int o = 0; o < OPS.length; o++) {
                        double measuredUs = number(r, "time_stats." + OPS[o] + ".median", file) * 1000.0;
                        double us = costs.gemmUs(m, kn[o][0], kn[o][1], 2);
                        errors.computeIfAbsent(OP_NAMES[o], k -> new ArrayList<>()).add(us / measuredUs - 1);
                    }
                }
                String name = model.substring(model.indexOf('/') + 1);
                errors.forEach((op, e) -> rows.add(new Row(sku.gpuId() + " | " + name + " | " + op,
                        ErrorStats.of(e))));
            }
        }
        return rows;
    }

    /**
     * Intra-node all-reduce rows per (GPU, GPUs, message size below / at least vLLM's 8 MiB custom
     * limit), each as simulated ("vLLM dispatch") and with the NCCL factors ("NCCL").
     */
    public static List<Row> allReduces(Path root, RooflineFactors factors) {
        GpuCatalog catalog = GpuCatalog.builtin();
        List<Row> rows = new ArrayList<>();
        for (Sku sku : SKUS) {
            GpuSpec gpu = catalog.get(sku.gpuId());
            OperatorCosts costs = new OperatorCosts(gpu, factors.forGpu(gpu));
            Path file = root.resolve("network/" + sku.node() + "/all_reduce.csv.gz");
            Map<String, List<Double>> errors = new java.util.TreeMap<>();
            for (Map<String, String> r : read(file)) {
                int workers = (int) number(r, "num_workers", file);
                if (workers != (int) number(r, "devices_per_node", file) || workers < 2) {
                    continue;
                }
                double bytes = number(r, "size", file);
                double measuredUs = number(r, "time_stats.all_reduce.median", file) * 1000.0;
                String key = sku.gpuId() + " | all-reduce " + workers + " GPUs, "
                        + (bytes < OperatorCosts.CUSTOM_ALL_REDUCE_MAX_BYTES ? "< 8 MiB" : "≥ 8 MiB") + " | ";
                errors.computeIfAbsent(key + "vLLM dispatch", k -> new ArrayList<>())
                        .add(costs.modelAllReduceUs(bytes, workers) / measuredUs - 1);
                errors.computeIfAbsent(key + "NCCL", k -> new ArrayList<>())
                        .add(costs.ncclAllReduceUs(bytes, workers) / measuredUs - 1);
            }
            errors.forEach((k, e) -> rows.add(new Row(k, ErrorStats.of(e))));
        }
        return rows;
    }

    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder("| GPU | what | op | rows | mean abs error | max abs error | signed mean |\n")
                .append("|---|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            ErrorStats e = r.error();
            b.append(String.format(Locale.ROOT, "| %s | %d | %.1f %% | %.0f %% | %+.1f %% |%n", r.group(), e.count(),
                    e.meanAbs() * 100, e.maxAbs() * 100, e.meanSigned() * 100));
        }
        return b.toString();
    }

    /** Rows of a gzipped CSV as header → value maps (small files: a few thousand rows). */
    private static List<Map<String, String>> read(Path file) {
        List<Map<String, String>> rows = new ArrayList<>();
        GzCsv.read(file, "Vidur profile", csv -> {
            String[] header = csv.header();
            return (v, line) -> {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], v[i]);
                }
                row.put("#line", Long.toString(line));
                rows.add(row);
            };
        });
        return rows;
    }

    private static double number(Map<String, String> row, String column, Path file) {
        String v = row.get(column);
        long line = Long.parseLong(row.get("#line"));
        if (v == null) {
            throw InputException.at(file, 1, "column " + column + " missing from the header");
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw InputException.at(file, line, column + ": not a number: \"" + v + "\"");
        }
    }
}
