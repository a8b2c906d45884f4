package io.agentservesim.perf;

import io.agentservesim.error.InputException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One LLMServingSim profile bundle (the folder holding {@code meta.yaml} and {@code tp<N>/}) loaded for
 * one tensor-parallel degree, read unchanged from the profiler's output format:
 * <ul>
 *   <li>{@code meta.yaml}: read as a tree; gpu, hardware, model, tp_degrees, attention_grid (axis
 *       specs), engine_effective limits, skew_fit. Unknown keys are ignored.</li>
 *   <li>{@code tp<N>/dense.csv} (layer, tokens, time_us) and {@code per_sequence.csv}
 *       (layer, sequences, time_us): one {@link PiecewiseLinear} per op.</li>
 *   <li>{@code tp<N>/attention.csv}: an {@link AttentionGrid}.</li>
 *   <li>{@code moe.csv} when present: from {@code tp<N>/}, else from {@code tp1/} — LLMServingSim's
 *       {@code _lookup_moe} always reads MoE at tp1, the profiler measures experts once per rank.
 *       {@link #moeMeasuredAtTp()} says which, so a caller can tell a table measured at this TP from
 *       the tp1 fallback (vLLM shards experts by TP where LLMServingSim's convention does not).</li>
 *   <li>{@code tp<N>/skew_fit.csv}: a {@link SkewAlphaTable}, only when meta.yaml's skew_fit is enabled
 *       (as {@code _hydrate_skew_fit_tables} in LLMServingSim's
 *       {@code llmservingsim/serving/core/trace_generator.py}).</li>
 * </ul>
 * Every problem — missing folder, file or op, malformed row — is an {@link InputException} naming the
 * file and, for rows, the line. Times stay in microseconds as in the files.
 */
public final class ProfileBundle {
    private final Path dir;
    private final int tp;
    private final String hardware;
    private final String gpu;
    private final String model;
    private final int[] tpDegrees;
    private final int maxNumBatchedTokens;
    private final int maxNumSeqs;
    private final Map<String, PiecewiseLinear> dense;
    private final Map<String, PiecewiseLinear> perSequence;
    private final AttentionGrid attention;
    private final MoeTable moe;
    private final int moeTp;
    private final SkewAlphaTable skew;

    private ProfileBundle(Path dir, int tp, String hardware, String gpu, String model, int[] tpDegrees,
                          int maxNumBatchedTokens, int maxNumSeqs, Map<String, PiecewiseLinear> dense,
                          Map<String, PiecewiseLinear> perSequence, AttentionGrid attention, MoeTable moe,
                          int moeTp, SkewAlphaTable skew) {
        this.dir = dir;
        this.tp = tp;
        this.hardware = hardware;
        this.gpu = gpu;
        this.model = model;
        this.tpDegrees = tpDegrees;
        this.maxNumBatchedTokens = maxNumBatchedTokens;
        this.maxNumSeqs = maxNumSeqs;
        this.dense = dense;
        this.perSequence = perSequence;
        this.attention = attention;
        this.moe = moe;
        this.moeTp = moeTp;
        this.skew = skew;
    }

    /** Loads the bundle in {@code bundleDir} for tensor-parallel degree {@code tp}. */
    public static ProfileBundle load(Path bundleDir, int tp) {
        if (!Files.isDirectory(bundleDir)) {
            throw InputException.at(bundleDir, "profile bundle folder not found");
        }
        if (tp < 1) {
            throw InputException.at(bundleDir, "tensor-parallel degree must be >= 1, got " + tp);
        }
        Path metaFile = bundleDir.resolve("meta.yaml");
        JsonNode meta = readYaml(metaFile);
        String hardware = requiredText(metaFile, meta, "hardware");
        String gpu = meta.path("gpu").isValueNode() ? meta.path("gpu").asString() : hardware;
        String model = requiredText(metaFile, meta, "model");
        int[] tpDegrees = intList(metaFile, meta.path("tp_degrees"), "tp_degrees");
        if (tpDegrees.length > 0 && !containsInt(tpDegrees, tp)) {
            throw InputException.at(metaFile, "tp_degrees " + java.util.Arrays.toString(tpDegrees)
                    + " does not include the requested tp " + tp);
        }
        Path tpDir = bundleDir.resolve("tp" + tp);
        if (!Files.isDirectory(tpDir)) {
            throw InputException.at(tpDir, "folder for tensor-parallel degree " + tp + " not found");
        }
        JsonNode engine = meta.path("engine_effective");
        int maxTokens = engine.path("max_num_batched_tokens").asInt(0);
        int maxSeqs = engine.path("max_num_seqs").asInt(0);

        JsonNode grid = meta.path("attention_grid");
        int[] chunkAxis = gridAxis(metaFile, grid, "chunks");
        int[] kvAxis = gridAxis(metaFile, grid, "kv");
        int[] ndAxis = gridAxis(metaFile, grid, "n_decode");

        Map<String, PiecewiseLinear> dense = readOps(tpDir.resolve("dense.csv"), "tokens");
        Map<String, PiecewiseLinear> perSeq = readOps(tpDir.resolve("per_sequence.csv"), "sequences");
        AttentionGrid attention = AttentionGrid.read(tpDir.resolve("attention.csv"), chunkAxis, kvAxis, ndAxis);
        MoeTable moe = null;
        int moeTp = 0;
        Path moeHere = tpDir.resolve("moe.csv");
        Path moeTp1 = bundleDir.resolve("tp1").resolve("moe.csv");
        if (Files.isRegularFile(moeHere)) {
            moe = MoeTable.read(moeHere);
            moeTp = tp;
        } else if (Files.isRegularFile(moeTp1)) {
            moe = MoeTable.read(moeTp1);
            moeTp = 1;
        }
        SkewAlphaTable skew = readSkew(metaFile, bundleDir, meta.path("skew_fit"), tp);
        return new ProfileBundle(bundleDir, tp, hardware, gpu, model, tpDegrees, maxTokens, maxSeqs,
                Collections.unmodifiableMap(dense), Collections.unmodifiableMap(perSeq), attention, moe, moeTp, skew);
    }

    public Path dir() { return dir; }
    public int tp() { return tp; }
    /** Short hardware name, e.g. "RTX4090". */
    public String hardware() { return hardware; }
    /** GPU name as the profiler saw it, e.g. "NVIDIA GeForce RTX 4090". */
    public String gpu() { return gpu; }
    /** Model id, e.g. "meta-llama/Llama-3.1-8B". */
    public String model() { return model; }
    public int[] tpDegrees() { return tpDegrees.clone(); }
    /** max_num_batched_tokens the profiler ran with (0 if not recorded); beyond it lookups extrapolate. */
    public int maxNumBatchedTokens() { return maxNumBatchedTokens; }
    /** max_num_seqs the profiler ran with (0 if not recorded). */
    public int maxNumSeqs() { return maxNumSeqs; }
    public Set<String> denseOps() { return dense.keySet(); }
    public Set<String> perSequenceOps() { return perSequence.keySet(); }
    public boolean hasDenseOp(String name) { return dense.containsKey(name); }

    /** The dense op's time (µs) against tokens; InputException naming dense.csv if absent. */
    public PiecewiseLinear denseOp(String name) {
        PiecewiseLinear op = dense.get(name);
        if (op == null) {
            throw InputException.at(dir.resolve("tp" + tp).resolve("dense.csv"), "no rows for op '" + name
                    + "' (have " + dense.keySet() + ")");
        }
        return op;
    }

    /** The per-sequence op's time (µs) against sequences; InputException naming per_sequence.csv if absent. */
    public PiecewiseLinear perSequenceOp(String name) {
        PiecewiseLinear op = perSequence.get(name);
        if (op == null) {
            throw InputException.at(dir.resolve("tp" + tp).resolve("per_sequence.csv"), "no rows for op '" + name
                    + "' (have " + perSequence.keySet() + ")");
        }
        return op;
    }

    public AttentionGrid attention() { return attention; }
    /** The MoE expert table, or null for a dense model's bundle. */
    public MoeTable moe() { return moe; }

    /**
     * The TP degree whose folder {@link #moe()} was read from: {@link #tp()} when {@code tp<N>/moe.csv}
     * exists, 1 when it fell back to {@code tp1/moe.csv}, 0 when the bundle has no MoE table.
     */
    public int moeMeasuredAtTp() { return moeTp; }
    public SkewAlphaTable skew() { return skew; }

    /** "profile:HW/org/model/tpN". */
    public String source() {
        return "profile:" + hardware + "/" + model + "/tp" + tp;
    }

    private static JsonNode readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InputException.at(file, "file not found");
        }
        try {
            JsonNode root = io.agentservesim.error.StrictJackson.yaml().readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw InputException.at(file, "expected a YAML mapping at top level");
            }
            return root;
        } catch (JacksonException e) {
            long line = e.getLocation() != null ? e.getLocation().getLineNr() : -1;
            String msg = "malformed YAML: " + e.getOriginalMessage();
            throw line > 0 ? InputException.at(file, line, msg) : InputException.at(file, msg);
        }
    }

    private static String requiredText(Path file, JsonNode meta, String field) {
        JsonNode n = meta.path(field);
        if (!n.isValueNode() || n.asString().isBlank()) {
            throw InputException.at(file, "field " + field + ": expected a non-empty value");
        }
        return n.asString().strip();
    }

    private static int[] intList(Path file, JsonNode n, String field) {
        if (n.isMissingNode() || n.isNull()) {
            return new int[0];
        }
        if (!n.isArray()) {
            throw InputException.at(file, "field " + field + ": expected a list of integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).isIntegralNumber()) {
                throw InputException.at(file, "field " + field + "[" + i + "]: expected an integer");
            }
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static int[] gridAxis(Path file, JsonNode grid, String key) {
        JsonNode n = grid.path(key);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        try {
            return GridSpec.parse(n.asString());
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, "field attention_grid." + key + ": " + e.getMessage());
        }
    }

    private static Map<String, PiecewiseLinear> readOps(Path file, String axis) {
        ProfileCsv csv = ProfileCsv.read(file, "layer", axis, "time_us");
        if (csv.rows().isEmpty()) {
            throw InputException.at(file, 2, "table has no rows");
        }
        Map<String, TreeMap<Integer, Double>> byOp = new LinkedHashMap<>();
        for (ProfileCsv.Row row : csv.rows()) {
            String op = row.fields()[0];
            if (op.isEmpty()) {
                throw InputException.at(file, row.line(), "column layer: expected an op name");
            }
            int x = csv.count(row, 1, axis);
            double us = csv.timeUs(row, 2, "time_us");
            byOp.computeIfAbsent(op, k -> new TreeMap<>()).put(x, us); // duplicate key: last row wins
        }
        Map<String, PiecewiseLinear> out = new LinkedHashMap<>();
        for (var e : byOp.entrySet()) {
            double[] xs = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] ys = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            out.put(e.getKey(), new PiecewiseLinear(xs, ys));
        }
        return out;
    }

    /** LLMServingSim's fallback bucket axes for metas that predate {@code skew_fit.bucket_axes}. */
    private static final double[][] DEFAULT_BINS = {
        {0, 2, 4, 8, 16, 32, 64, 128, 1_000_000},
        {-0.01, 0.05, 0.15, 0.40, 0.70, 1.01},
        {0, 1024, 4096, 16384, 1_000_000_000},
        {-1, 0, 2048, 1_000_000_000},
    };
    private static final List<List<String>> DEFAULT_LABELS = List.of(
            List.of("n<=2", "n<=4", "n<=8", "n<=16", "n<=32", "n<=64", "n<=128", "n>128"),
            List.of("sr<=5%", "sr<=15%", "sr<=40%", "sr<=70%", "sr>70%"),
            List.of("kvB<=1k", "kvB<=4k", "kvB<=16k", "kvB>16k"),
            List.of("kp=0", "kp<=2k", "kp>2k"));
    private static final String[] AXIS_KEYS = {"n", "skew_rate", "kv_big", "kp"};

    private static SkewAlphaTable readSkew(Path metaFile, Path bundleDir, JsonNode fit, int tp) {
        if (fit.isMissingNode() || !fit.path("enabled").asBoolean(false)) {
            return SkewAlphaTable.none();
        }
        JsonNode entry = fit.path("per_tp").path(Integer.toString(tp));
        if (!entry.isObject()) {
            return SkewAlphaTable.constant(fit.path("alpha_default").asDouble(0.0));
        }
        double alphaDefault = entry.path("alpha_default").asDouble(0.0);
        JsonNode table = entry.path("bucket_table");
        if (!table.isValueNode() || table.asString().isBlank()) {
            return SkewAlphaTable.constant(alphaDefault);
        }
        JsonNode axes = entry.path("bucket_axes").isObject() ? entry.path("bucket_axes") : fit.path("bucket_axes");
        double[][] bins = new double[4][];
        List<List<String>> labels = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            if (!axes.isObject()) {
                bins[a] = DEFAULT_BINS[a];
                labels.add(DEFAULT_LABELS.get(a));
                continue;
            }
            String key = AXIS_KEYS[a];
            JsonNode b = axes.path(key + "_bins");
            JsonNode l = axes.path(key + "_labels");
            if (!b.isArray() || !l.isArray() || b.size() != l.size() + 1 || l.isEmpty()) {
                throw InputException.at(metaFile, "field skew_fit.bucket_axes." + key
                        + "_bins/_labels: expected lists with one more bin edge than labels");
            }
            bins[a] = new double[b.size()];
            for (int i = 0; i < b.size(); i++) {
                bins[a][i] = b.get(i).asDouble();
            }
            List<String> names = new ArrayList<>();
            l.forEach(x -> names.add(x.asString()));
            labels.add(names);
        }
        Path csv = bundleDir.resolve(table.asString());
        if (!Files.isRegularFile(csv)) {
            throw InputException.at(csv, "skew_fit bucket_table named in meta.yaml not found");
        }
        return SkewAlphaTable.read(csv, labels, bins, alphaDefault);
    }

    private static boolean containsInt(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
