package io.agentservesim.perf.roofline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * vLLM's tensor-parallel all-reduce as AIConfigurator measured it on one GPU type: its
 * {@code custom_allreduce_perf} table (data/aiconfigurator/perf/&lt;gpu&gt;/vllm-&lt;ver&gt;, PROVENANCE.md),
 * whose collector times vLLM's whole dispatch ({@code tensor_model_parallel_all_reduce} in a CUDA graph,
 * bfloat16, {@code message_size} in elements): the custom kernel below its 8 MiB limit where vLLM runs it,
 * and pynccl (or, on Hopper/Blackwell NVLink, torch symmetric memory) above it, inside vLLM's own process
 * with vLLM's NCCL build and environment. That is what a served TP engine runs, so where the table has the
 * GPU count it prices the all-reduce, ahead of the fitted ring model ({@link OperatorCosts#modelAllReduceUs}).
 * The reason it matters: on RTX PRO 6000 Server (PCIe, 2 GPUs) vLLM's own all-reduce above 8 MiB runs at
 * half the bandwidth of standalone nccl-tests on the same GPU type (16 MiB: 1.12 ms against 0.47 ms), so a
 * model fitted on nccl-tests prices a served TP2 prefill's all-reduces about 2x too cheap.
 *
 * <p>Between measured sizes the time is interpolated linearly in log(bytes) / log(time) (both the latency
 * and the bandwidth regime are straight there); below the smallest size it is the smallest size's time
 * (latency-bound); above the largest it grows in proportion to bytes (bandwidth-bound). Left out: the
 * eager-mode rows (a step larger than the largest CUDA graph runs eager, ~10 µs more per call at small
 * sizes, the same at large ones) and GPU types or counts the tables do not hold (the fitted model prices
 * those). Tables are read once per GPU id from the classpath (the build copies them there).
 */
public final class VllmAllReduceTable {
    /** The vLLM versions of the tables in data/aiconfigurator, newest first (PROVENANCE.md). */
    static final String[] VERSIONS = {"vllm-0.19.0", "vllm-0.14.0"};
    private static final String ROOT = "/io/agentservesim/aic/";
    private static final Map<String, VllmAllReduceTable> CACHE = new ConcurrentHashMap<>();
    private static final VllmAllReduceTable NONE = new VllmAllReduceTable("", new TreeMap<>());

    private final String resource;
    /** GPU count → (log bytes, log µs) ascending in bytes. */
    private final Map<Integer, double[][]> byGpus;

    private VllmAllReduceTable(String resource, Map<Integer, double[][]> byGpus) {
        this.resource = resource;
        this.byGpus = byGpus;
    }

    /** The table of catalog GPU {@code gpuId}, or an empty table when AIConfigurator measured none. */
    public static VllmAllReduceTable forGpu(String gpuId) {
        return CACHE.computeIfAbsent(gpuId, VllmAllReduceTable::load);
    }

    /** Whether the table holds {@code gpus} GPUs. */
    public boolean covers(int gpus) {
        return byGpus.containsKey(gpus);
    }

    /** Where the rows come from, e.g. {@code rtx_pro_6000_server/vllm-0.19.0}; empty without a table. */
    public String resource() {
        return resource;
    }

    /** Microseconds of one all-reduce of {@code bytes} per GPU over {@code gpus} GPUs; needs {@link #covers}. */
    public double us(double bytes, int gpus) {
        double[][] rows = byGpus.get(gpus);
        double[] logBytes = rows[0];
        double[] logUs = rows[1];
        int n = logBytes.length;
        double x = Math.log(Math.max(bytes, 1.0));
        if (x <= logBytes[0]) {
            return Math.exp(logUs[0]);
        }
        if (x >= logBytes[n - 1]) {
            return Math.exp(logUs[n - 1]) * bytes / Math.exp(logBytes[n - 1]);
        }
        int hi = Arrays.binarySearch(logBytes, x);
        if (hi >= 0) {
            return Math.exp(logUs[hi]);
        }
        hi = -hi - 1;
        int lo = hi - 1;
        double w = (x - logBytes[lo]) / (logBytes[hi] - logBytes[lo]);
        return Math.exp(logUs[lo] + w * (logUs[hi] - logUs[lo]));
    }

    private static VllmAllReduceTable load(String gpuId) {
        for (String version : VERSIONS) {
            String name = ROOT + gpuId + "/" + version + "/custom_allreduce_perf.csv.gz";
            InputStream raw = VllmAllReduceTable.class.getResourceAsStream(name);
            if (raw != null) {
                return parse(raw, gpuId + "/" + version);
            }
        }
        return NONE;
    }

    /** The CUDA-graph bfloat16 rows, averaged where a size repeats (one per collection run). */
    private static VllmAllReduceTable parse(InputStream raw, String resource) {
        Map<Integer, TreeMap<Double, double[]>> sums = new TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8))) {
            String[] header = r.readLine().split(",", -1);
            int gpus = column(header, "num_gpus", resource);
            int size = column(header, "message_size", resource);
            int latency = column(header, "latency", resource);
            int backend = column(header, "backend", resource);
            int dtype = column(header, "allreduce_dtype", resource);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] c = line.split(",", -1);
                if (c.length <= Math.max(Math.max(gpus, size), Math.max(latency, Math.max(backend, dtype)))
                        || !c[backend].equals("vllm_graph") || !c[dtype].equals("bfloat16")) {
                    continue;
                }
                double bytes = 2.0 * Double.parseDouble(c[size]);
                double us = Double.parseDouble(c[latency]) * 1000.0;
                double[] sum = sums.computeIfAbsent(Integer.parseInt(c[gpus]), k -> new TreeMap<>())
                        .computeIfAbsent(bytes, k -> new double[2]);
                sum[0] += us;
                sum[1] += 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the built-in vLLM all-reduce table " + resource, e);
        }
        Map<Integer, double[][]> byGpus = new TreeMap<>();
        sums.forEach((n, bySize) -> {
            double[][] rows = new double[2][bySize.size()];
            int i = 0;
            for (Map.Entry<Double, double[]> e : bySize.entrySet()) {
                rows[0][i] = Math.log(e.getKey());
                rows[1][i] = Math.log(e.getValue()[0] / e.getValue()[1]);
                i++;
            }
            if (i >= 2) {
                byGpus.put(n, rows);
            }
        });
        return new VllmAllReduceTable(resource, byGpus);
    }

    private static int column(String[] header, String name, String resource) {
        for (int i = 0; i < header.length; i++) {
            if (header[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("built-in vLLM all-reduce table " + resource + " has no column " + name);
    }
}
