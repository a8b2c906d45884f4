package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AIConfigurator's measured collectives of one GPU (data/aiconfigurator, PROVENANCE.md):
 * <ul>
 *   <li>{@code vllm-*}/{@code custom_allreduce_perf}: vLLM's {@code tensor_model_parallel_all_reduce}
 *       in a CUDA graph ({@code backend} vllm_graph), bfloat16, {@code message_size} in elements. The
 *       collector calls vLLM's whole dispatch, so rows above vLLM's custom all-reduce limit (and every row
 *       of more than two PCIe GPUs) are NCCL or symmetric-memory all-reduces, not the custom kernel.</li>
 *   <li>{@code nccl-*}/{@code nccl_perf}: nccl-tests ({@code all_reduce_perf}, {@code alltoall_perf}) run
 *       by {@code collector/collect_nccl.py} with {@code -b size -e size}: {@code message_size} = bytes /
 *       element size (half: 2), the whole per-rank buffer (for alltoall the send buffer, of which each
 *       peer gets 1/N); {@code latency} = the out-of-place time, ms. Repeated runs of one size (H100/H200
 *       two, B200 three) are averaged.</li>
 * </ul>
 */
final class CollectiveTables {
    /** One measured size: GPUs, bytes per rank, µs. */
    record Row(int gpus, double bytes, double us) { }

    private CollectiveTables() {
    }

    /** The CUDA-graph bfloat16 rows of this GPU's vLLM all-reduce table, or an empty list if it has none. */
    static List<Row> vllmAllReduce(Path aic, String gpuId) {
        Path table = find(aic.resolve(gpuId), "vllm-", "custom_allreduce_perf.csv.gz");
        List<Row> rows = new ArrayList<>();
        if (table == null) {
            return rows;
        }
        GzCsv.read(table, "vLLM all-reduce table", csv -> {
            int gpus = csv.column("num_gpus");
            int size = csv.column("message_size");
            int latency = csv.column("latency");
            int backend = csv.column("backend");
            int dtype = csv.column("allreduce_dtype");
            return (c, line) -> {
                if (c[backend].equals("vllm_graph") && c[dtype].equals("bfloat16")) {
                    rows.add(new Row(Integer.parseInt(c[gpus]), 2.0 * Double.parseDouble(c[size]),
                            positiveMs(c[latency], table, line) * 1000.0));
                }
            };
        });
        return rows;
    }

    /**
     * The half-precision rows of {@code op} ({@code all_reduce} or {@code alltoall}) of this GPU's
     * nccl_perf table, averaged over repeated sizes, or an empty list if it has none.
     */
    static List<Row> nccl(Path aic, String gpuId, String op) {
        Path table = find(aic.resolve(gpuId), "nccl-", "nccl_perf.csv.gz");
        if (table == null) {
            return new ArrayList<>();
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        GzCsv.read(table, "nccl_perf table", csv -> {
            int name = csv.column("op_name");
            int dtype = csv.column("nccl_dtype");
            int gpus = csv.column("num_gpus");
            int size = csv.column("message_size");
            int latency = csv.column("latency");
            return (c, line) -> {
                if (!c[name].equals(op) || !c[dtype].equals("half")) {
                    return;
                }
                double[] v = {Integer.parseInt(c[gpus]), 2.0 * Double.parseDouble(c[size]),
                    positiveMs(c[latency], table, line) * 1000.0, 1};
                double[] old = sums.putIfAbsent(c[gpus] + "," + c[size], v);
                if (old != null) {
                    old[2] += v[2];
                    old[3] += 1;
                }
            };
        });
        List<Row> rows = new ArrayList<>(sums.size());
        for (double[] v : sums.values()) {
            rows.add(new Row((int) v[0], v[1], v[2] / v[3]));
        }
        return rows;
    }

    private static double positiveMs(String cell, Path table, long line) {
        double ms = Double.parseDouble(cell);
        if (!(ms > 0) || Double.isInfinite(ms)) {
            throw InputException.at(table, line, "latency must be a positive number of ms, got " + cell);
        }
        return ms;
    }

    /** The named table in the first folder of {@code system} whose name starts with {@code prefix}. */
    private static Path find(Path system, String prefix, String file) {
        if (!Files.isDirectory(system)) {
            return null;
        }
        try (var s = Files.list(system)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.exists(p.resolve(file)))
                    .sorted().map(p -> p.resolve(file)).findFirst().orElse(null);
        } catch (IOException e) {
            throw InputException.at(system, "cannot list collective tables: " + e.getMessage());
        }
    }
}
