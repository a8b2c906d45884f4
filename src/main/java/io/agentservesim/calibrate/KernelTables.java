package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NVIDIA AIConfigurator's measured vLLM kernel tables of one GPU (the subset copied under
 * {@code data/aiconfigurator/perf/<system>/vllm-<ver>/}, see its PROVENANCE.md): BF16 GEMMs
 * ({@code gemm_perf}), prefill attention of {@code batch} sequences of {@code isl} tokens with no
 * cached prefix ({@code context_attention_perf}) and decode attention of {@code batch} one-query
 * sequences over {@code step} cached tokens ({@code generation_attention_perf}), BF16 activations and
 * KV, full attention, head dim 128. Columns are found by header name (the vLLM 0.14 tables lack
 * {@code window_size}); repeated measurements of one shape are averaged. Times in microseconds.
 */
public final class KernelTables {
    /** Head dimension of every attention row of the copied subset (see PROVENANCE.md). */
    private static final double HEAD_DIM = 128;

    /** One GEMM C[m,n] = A[m,k] × B[k,n]. */
    public record Gemm(double m, double n, double k, double us) { }

    /** One attention call of one layer: {@code batch} sequences, {@code tokens} = isl (context) or step (generation). */
    public record Attention(boolean context, int batch, int tokens, int heads, int kvHeads, double us) { }

    private final String gpuId;
    private final Path dir;
    private final List<Gemm> gemms;
    private final List<Attention> attention;
    /** (n, k) → m → µs, for interpolation in m. */
    private final Map<Long, TreeMap<Double, Double>> gemmByShape;

    /** Context-attention rows dropped because they imply more FLOP/s than the GPU's dense peak. */
    private final int droppedAbovePeak;

    private KernelTables(String gpuId, Path dir, List<Gemm> gemms, List<Attention> attention, int droppedAbovePeak) {
        this.gpuId = gpuId;
        this.droppedAbovePeak = droppedAbovePeak;
        this.dir = dir;
        this.gemms = List.copyOf(gemms);
        this.attention = List.copyOf(attention);
        this.gemmByShape = new LinkedHashMap<>();
        for (Gemm g : gemms) {
            gemmByShape.computeIfAbsent(key(g.n(), g.k()), x -> new TreeMap<>()).put(g.m(), g.us());
        }
    }

    /**
     * The tables of {@code gpu} under {@code root} (its one {@code vllm-*} folder), or null if it has none.
     * A context-attention row whose causal FLOPs (2·b·isl²·d·H: QKᵀ and PV over the lower triangle)
     * would need more than the GPU's dense BF16 peak is physically impossible and is dropped: 601 of the
     * 1,368 H200 rows (vLLM 0.19.0 and 0.19.1) imply up to 9.8× the peak, while no row of the other five
     * GPUs exceeds 0.75 of it and the H200's GEMM rows stay below 0.96. No GEMM row of any GPU is above
     * peak.
     */
    public static KernelTables read(Path root, GpuSpec gpu) {
        String gpuId = gpu.id();
        Path system = root.resolve(gpuId);
        if (!Files.isDirectory(system)) {
            return null;
        }
        Path dir;
        try (var s = Files.list(system)) {
            dir = s.filter(p -> p.getFileName().toString().startsWith("vllm-")
                    && Files.exists(p.resolve("gemm_perf.csv.gz"))).sorted().findFirst().orElse(null);
        } catch (IOException e) {
            throw InputException.at(system, "cannot list kernel tables: " + e.getMessage());
        }
        if (dir == null) {
            return null;
        }
        List<Gemm> gemms = new ArrayList<>();
        for (double[] r : averaged(dir.resolve("gemm_perf.csv.gz"), new String[] {"m", "n", "k"}, "gemm_dtype")) {
            gemms.add(new Gemm(r[0], r[1], r[2], r[3]));
        }
        String[] attnKeys = {"batch_size", "isl", "step", "num_heads", "num_key_value_heads"};
        List<Attention> attention = new ArrayList<>();
        int dropped = 0;
        for (double[] r : averaged(dir.resolve("context_attention_perf.csv.gz"), attnKeys, "attn_dtype")) {
            double causalFlops = 2.0 * r[0] * r[1] * r[1] * HEAD_DIM * r[3];
            if (causalFlops / (r[5] * 1e-6) > gpu.bf16DenseFlops()) {
                dropped++;
                continue;
            }
            attention.add(new Attention(true, (int) r[0], (int) r[1], (int) r[3], (int) r[4], r[5]));
        }
        for (double[] r : averaged(dir.resolve("generation_attention_perf.csv.gz"), attnKeys, "attn_dtype")) {
            attention.add(new Attention(false, (int) r[0], (int) r[2], (int) r[3], (int) r[4], r[5]));
        }
        return new KernelTables(gpuId, dir, gemms, attention, dropped);
    }

    /**
     * Rows of a table as {@code keys..., latency µs}, the mean over rows with equal keys, in file order.
     * Every row must have BF16 in {@code dtypeColumn} (the copied subset holds nothing else).
     */
    private static List<double[]> averaged(Path file, String[] keys, String dtypeColumn) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        GzCsv.read(file, "kernel table", csv -> {
            int[] col = new int[keys.length];
            for (int i = 0; i < keys.length; i++) {
                col[i] = csv.column(keys[i]);
            }
            int latency = csv.column("latency");
            int dtype = csv.column(dtypeColumn);
            return (c, line) -> {
                if (!c[dtype].equals("bfloat16")) {
                    throw InputException.at(file, line, dtypeColumn + " " + c[dtype] + ": only bfloat16 rows are expected");
                }
                double[] v = new double[keys.length + 2];
                StringBuilder k = new StringBuilder();
                for (int i = 0; i < keys.length; i++) {
                    v[i] = Double.parseDouble(c[col[i]]);
                    k.append(c[col[i]]).append(',');
                }
                double ms = Double.parseDouble(c[latency]);
                if (!(ms > 0) || Double.isInfinite(ms)) {
                    throw InputException.at(file, line, "latency must be a positive number of ms, got " + c[latency]);
                }
                v[keys.length] = ms * 1000.0;
                v[keys.length + 1] = 1;
                double[] old = sums.putIfAbsent(k.toString(), v);
                if (old != null) {
                    old[keys.length] += v[keys.length];
                    old[keys.length + 1] += 1;
                }
            };
        });
        List<double[]> out = new ArrayList<>(sums.size());
        for (double[] v : sums.values()) {
            double[] r = Arrays.copyOf(v, keys.length + 1);
            r[keys.length] = v[keys.length] / v[keys.length + 1];
            out.add(r);
        }
        return out;
    }

    private static long key(double n, double k) {
        return ((long) n << 32) | (long) k;
    }

    /** True if the GEMM table holds weight shape (n, k). */
    public boolean hasGemm(double n, double k) {
        return gemmByShape.containsKey(key(n, k));
    }

    /**
     * Measured GEMM time at {@code m} rows for weight shape (n, k), linear in m between the table's two
     * nearest rows (the table's m grid is dense up to 4k rows on vLLM 0.19, powers of two and a few
     * more on 0.14).
     */
    public double gemmUs(double m, double n, double k) {
        TreeMap<Double, Double> t = gemmByShape.get(key(n, k));
        if (t == null) {
            throw new IllegalArgumentException(gpuId + ": no GEMM n=" + n + " k=" + k + " in " + dir);
        }
        Map.Entry<Double, Double> lo = t.floorEntry(m);
        Map.Entry<Double, Double> hi = t.ceilingEntry(m);
        if (lo == null || hi == null) {
            throw new IllegalArgumentException(gpuId + ": GEMM m=" + m + " outside the table's rows in " + dir);
        }
        if (lo.getKey().equals(hi.getKey())) {
            return lo.getValue();
        }
        double w = (m - lo.getKey()) / (hi.getKey() - lo.getKey());
        return lo.getValue() + w * (hi.getValue() - lo.getValue());
    }

    /** Measured attention time of one layer, or NaN if the table has no such row. */
    public double attentionUs(boolean context, int batch, int tokens, int heads, int kvHeads) {
        for (Attention a : attention) {
            if (a.context() == context && a.batch() == batch && a.tokens() == tokens && a.heads() == heads
                    && a.kvHeads() == kvHeads) {
                return a.us();
            }
        }
        return Double.NaN;
    }

    public String gpuId() { return gpuId; }
    public int droppedAbovePeak() { return droppedAbovePeak; }
    public Path dir() { return dir; }
    public List<Gemm> gemms() { return gemms; }
    public List<Attention> attention() { return attention; }
}
