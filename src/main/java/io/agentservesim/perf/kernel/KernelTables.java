package io.agentservesim.perf.kernel;

import io.agentservesim.hardware.GpuSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NVIDIA AIConfigurator's measured vLLM kernel tables of one catalog GPU, as shipped on the classpath
 * from {@code data/aiconfigurator/step-tables/<gpu>/vllm-<ver>/} (PROVENANCE.md): GEMMs per weight
 * dtype, prefill (context) and decode (generation) attention per head count and KV dtype (head dim 128,
 * full attention). Read once per GPU.
 */
public final class KernelTables {
    static final String[] VERSIONS = {"vllm-0.19.0", "vllm-0.14.0"};
    private static final String ROOT = "/io/agentservesim/aic-step/";
    private static final double HEAD_DIM = 128;
    private static final Map<String, KernelTables> CACHE = new ConcurrentHashMap<>();

    private final String source;
    private final GpuSpec gpu;
    private final Map<String, GemmTable> gemms;
    /** "heads/kv/kvDtype" → slice. */
    private final Map<String, AttentionGridTable> context;
    private final Map<String, AttentionGridTable> generation;

    private KernelTables(String source, GpuSpec gpu, Map<String, GemmTable> gemms,
            Map<String, AttentionGridTable> context, Map<String, AttentionGridTable> generation) {
        this.source = source;
        this.gpu = gpu;
        this.gemms = gemms;
        this.context = context;
        this.generation = generation;
    }

    /** The tables of {@code gpu}, or null when AIConfigurator measured none for it. */
    public static KernelTables forGpu(GpuSpec gpu) {
        KernelTables t = CACHE.computeIfAbsent(gpu.id(), id -> {
            KernelTables loaded = load(gpu);
            return loaded == null ? new KernelTables(null, gpu, Map.of(), Map.of(), Map.of()) : loaded;
        });
        return t.source == null ? null : t;
    }

    /** Where the rows come from, e.g. {@code h100_sxm/vllm-0.19.0}. */
    public String source() { return source; }

    /** The GEMM table of a weight dtype ({@code bfloat16}, {@code fp8}, {@code fp8_block}, {@code nvfp4}), or null. */
    public GemmTable gemm(String dtype) { return gemms.get(dtype); }

    /** Whether prefill and decode attention were measured for this head count and KV dtype. */
    public boolean hasAttention(int heads, int kvHeads, String kvDtype) {
        String key = heads + "/" + kvHeads + "/" + kvDtype;
        return context.containsKey(key) && generation.containsKey(key);
    }

    /** One layer's prefill attention of {@code batch} sequences of {@code s} new tokens over {@code prefix} cached ones, µs. */
    public double contextUs(int heads, int kvHeads, String kvDtype, double batch, double s, double prefix) {
        AttentionGridTable t = context.get(heads + "/" + kvHeads + "/" + kvDtype);
        double full = s + prefix;
        // AIConfigurator's prefix correction: the measured kernel over the full length, less the
        // causal triangle of the cached prefix that a chunk does not recompute.
        double correction = prefix <= 0 ? 1.0 : (full * full - prefix * prefix) / (full * full);
        return t.us(full, batch) * correction;
    }

    /** One layer's decode attention of {@code batch} one-token sequences over {@code kv} cached tokens, µs. */
    public double generationUs(int heads, int kvHeads, String kvDtype, double batch, double kv) {
        return generation.get(heads + "/" + kvHeads + "/" + kvDtype).us(batch, kv);
    }

    static double gemmFlops(GpuSpec gpu, String dtype) {
        double fp8 = gpu.fp8DenseFlops() > 0 ? gpu.fp8DenseFlops() : gpu.bf16DenseFlops();
        return switch (dtype) {
            case "fp8", "fp8_block" -> fp8;
            case "nvfp4" -> 2.0 * fp8;
            default -> gpu.bf16DenseFlops();
        };
    }

    static double weightBytes(String dtype) {
        return switch (dtype) {
            case "fp8", "fp8_block" -> 1.0;
            case "nvfp4" -> 0.5 + 1.0 / 16.0;
            case "int4_wo", "w4a16" -> 0.5 + 2.0 / 128.0;
            default -> 2.0;
        };
    }

    static double inputBytes(String dtype) {
        return switch (dtype) {
            case "fp8", "fp8_block" -> 1.0;
            case "nvfp4" -> 0.5 + 1.0 / 16.0;
            default -> 2.0;
        };
    }

    private static KernelTables load(GpuSpec gpu) {
        for (String version : VERSIONS) {
            String dir = ROOT + gpu.id() + "/" + version + "/";
            Map<String, Map<Long, double[][]>> gemmRows = new HashMap<>();
            boolean found = TableCsv.read(dir + "gemm_perf.csv.gz", (h, c) -> {
                String dtype = c[h.column("gemm_dtype")];
                double m = Double.parseDouble(c[h.column("m")]);
                long n = Long.parseLong(c[h.column("n")]);
                long k = Long.parseLong(c[h.column("k")]);
                double us = Double.parseDouble(c[h.column("latency")]) * 1000.0;
                Map<Long, double[][]> byShape = gemmRows.computeIfAbsent(dtype, x -> new HashMap<>());
                double[][] pts = byShape.computeIfAbsent((n << 32) | k, x -> new double[][] {new double[16], new double[16], {0}});
                int i = (int) pts[2][0];
                if (i == pts[0].length) {
                    pts[0] = java.util.Arrays.copyOf(pts[0], 2 * i);
                    pts[1] = java.util.Arrays.copyOf(pts[1], 2 * i);
                }
                pts[0][i] = m;
                pts[1][i] = us;
                pts[2][0] = i + 1;
            });
            if (!found) {
                continue;
            }
            Map<String, GemmTable> gemms = new HashMap<>();
            for (var e : gemmRows.entrySet()) {
                String dtype = e.getKey();
                TreeMap<Long, double[][]> sorted = new TreeMap<>(e.getValue());
                double[] ns = new double[sorted.size()];
                double[] ks = new double[sorted.size()];
                MeasuredCurve[] curves = new MeasuredCurve[sorted.size()];
                int i = 0;
                for (var s : sorted.entrySet()) {
                    ns[i] = s.getKey() >>> 32;
                    ks[i] = s.getKey() & 0xffffffffL;
                    double[][] p = s.getValue();
                    curves[i] = MeasuredCurve.of(p[0], p[1], (int) p[2][0]);
                    i++;
                }
                gemms.put(dtype, new GemmTable(dtype, new GemmSol(gemmFlops(gpu, dtype), gpu.memoryBandwidth(),
                        weightBytes(dtype), inputBytes(dtype)), ns, ks, curves));
            }
            Map<String, AttentionGridTable> context = attention(gpu, dir + "context_attention_perf.csv.gz", true);
            Map<String, AttentionGridTable> generation = attention(gpu, dir + "generation_attention_perf.csv.gz", false);
            return new KernelTables(gpu.id() + "/" + version, gpu, gemms, context, generation);
        }
        return null;
    }

    /**
     * Attention slices: context (isl outer, sqrt blend; batch inner) or generation (batch outer, linear;
     * cached tokens {@code step} inner). Speed of light: causal QKᵀ and PV FLOPs at the BF16 rate against
     * the K/V bytes read.
     */
    private static Map<String, AttentionGridTable> attention(GpuSpec gpu, String resource, boolean ctx) {
        Map<String, TreeMap<Double, double[][]>> rows = new HashMap<>();
        TableCsv.read(resource, (h, c) -> {
            String key = c[h.column("num_heads")] + "/" + c[h.column("num_key_value_heads")] + "/"
                    + c[h.column("kv_cache_dtype")];
            double b = Double.parseDouble(c[h.column("batch_size")]);
            double a = ctx ? Double.parseDouble(c[h.column("isl")]) : b;
            double inner = ctx ? b : Double.parseDouble(c[h.column("step")]);
            double us = Double.parseDouble(c[h.column("latency")]) * 1000.0;
            if (ctx && 2.0 * b * a * a * HEAD_DIM * Double.parseDouble(c[h.column("num_heads")]) / (us * 1e-6)
                    > gpu.bf16DenseFlops()) {
                return; // faster than the GPU's dense peak: the H200 defect PROVENANCE.md describes
            }
            double[][] pts = rows.computeIfAbsent(key, x -> new TreeMap<>())
                    .computeIfAbsent(a, x -> new double[][] {new double[8], new double[8], {0}});
            int i = (int) pts[2][0];
            if (i == pts[0].length) {
                pts[0] = java.util.Arrays.copyOf(pts[0], 2 * i);
                pts[1] = java.util.Arrays.copyOf(pts[1], 2 * i);
            }
            pts[0][i] = inner;
            pts[1][i] = us;
            pts[2][0] = i + 1;
        });
        Map<String, AttentionGridTable> out = new HashMap<>();
        for (var e : rows.entrySet()) {
            String[] parts = e.getKey().split("/");
            double heads = Double.parseDouble(parts[0]);
            double kv = Double.parseDouble(parts[1]);
            double kvBytes = parts[2].equals("fp8") ? 1.0 : 2.0;
            double flops = gpu.bf16DenseFlops();
            double bw = gpu.memoryBandwidth();
            AttentionGridTable.Sol sol = ctx
                    ? (s, b) -> Math.max(2.0 * b * s * s * HEAD_DIM * heads / flops,
                            b * s * (heads + 2.0 * kv) * HEAD_DIM * 2.0 / bw) * 1e6
                    : (b, step) -> Math.max(4.0 * b * (step + 1) * HEAD_DIM * heads / flops,
                            b * (step + 1) * 2.0 * kv * HEAD_DIM * kvBytes / bw) * 1e6;
            TreeMap<Double, double[][]> byOuter = e.getValue();
            double[] outer = new double[byOuter.size()];
            MeasuredCurve[] curves = new MeasuredCurve[byOuter.size()];
            int i = 0;
            for (var r : byOuter.entrySet()) {
                outer[i] = r.getKey();
                double[][] p = r.getValue();
                curves[i] = MeasuredCurve.of(p[0], p[1], (int) p[2][0]);
                i++;
            }
            out.put(e.getKey(), new AttentionGridTable(outer, curves, ctx, sol));
        }
        return out;
    }
}
