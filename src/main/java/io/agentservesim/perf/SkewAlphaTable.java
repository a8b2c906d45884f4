package io.agentservesim.perf;

import io.agentservesim.error.InputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The fitted skew correction for batches whose decodes have different KV lengths:
 * {@code t = t_mean + alpha · (t_max − t_mean)}, where {@code t_mean} is attention at the mean decode
 * KV length and {@code t_max} at the longest. Alpha is looked up per bucket; a missing bucket uses the
 * TP's pooled {@code alpha_default}; a bundle without an enabled skew fit gets alpha 0 (no correction).
 *
 * <p>Bucketing follows {@code _skew_alpha} / {@code _bucket_label} in LLMServingSim's
 * {@code llmservingsim/serving/core/trace_generator.py}: the key is the raw prefill-chunk token count
 * (must equal a profiled value exactly, else the default applies), then labels for n_decode,
 * skew rate {@code (kv_mean − kv_min)/(kv_max − kv_min)} clamped to [0, 1], kv_big = the longest decode
 * KV, and kv_prefill. Each label comes from bins in meta.yaml {@code skew_fit.bucket_axes} as the
 * interval {@code (bins[i], bins[i+1]]}; values past the last edge take the last label. Stored as a
 * dense 5-D array (NaN = no bucket) so a query is a few scans of tiny bin arrays and one index.
 */
public final class SkewAlphaTable {
    private static final SkewAlphaTable NONE = new SkewAlphaTable(new int[0], new double[0][], new double[0], 0.0);

    private final int[] chunkValues;
    private final double[][] bins; // n, skew rate, kv_big, kv_prefill
    private final double[] alphas;
    private final double alphaDefault;
    private final int[] strides = new int[5];

    private SkewAlphaTable(int[] chunkValues, double[][] bins, double[] alphas, double alphaDefault) {
        this.chunkValues = chunkValues;
        this.bins = bins;
        this.alphas = alphas;
        this.alphaDefault = alphaDefault;
        if (bins.length == 4) {
            strides[4] = 1;
            for (int a = 3; a >= 0; a--) {
                strides[a] = strides[a + 1] * (bins[a].length - 1);
            }
        }
    }

    /** No skew correction (alpha 0 everywhere). */
    public static SkewAlphaTable none() { return NONE; }

    /** Only a pooled alpha, no bucket table. */
    static SkewAlphaTable constant(double alpha) {
        return new SkewAlphaTable(new int[0], new double[0][], new double[0], alpha);
    }

    /**
     * Reads a {@code skew_fit.csv} bucket table. {@code labels[a]} and {@code bins[a]} are the label
     * names and edges for axis a in order n, skew rate, kv_big, kv_prefill ({@code bins[a].length ==
     * labels[a].size() + 1}).
     */
    static SkewAlphaTable read(Path file, List<List<String>> labels, double[][] bins, double alphaDefault) {
        ProfileCsv csv = ProfileCsv.read(file, "pc", "n_label", "skew_rate_label", "kv_big_label", "kp_label",
                "alpha", "n_samples");
        TreeSet<Integer> pcs = new TreeSet<>();
        for (ProfileCsv.Row row : csv.rows()) {
            pcs.add(csv.count(row, 0, "pc"));
        }
        int[] chunkValues = pcs.stream().mapToInt(Integer::intValue).toArray();
        int cells = chunkValues.length;
        for (List<String> l : labels) {
            cells *= l.size();
        }
        double[] alphas = new double[cells];
        Arrays.fill(alphas, Double.NaN);
        SkewAlphaTable table = new SkewAlphaTable(chunkValues, bins, alphas, alphaDefault);
        String[] columns = {"n_label", "skew_rate_label", "kv_big_label", "kp_label"};
        for (ProfileCsv.Row row : csv.rows()) {
            int x = Arrays.binarySearch(chunkValues, csv.count(row, 0, "pc")) * table.strides[0];
            for (int a = 0; a < 4; a++) {
                int idx = labels.get(a).indexOf(row.fields()[a + 1]);
                if (idx < 0) {
                    throw InputException.at(file, row.line(), "column " + columns[a] + ": label '"
                            + row.fields()[a + 1] + "' is not one of " + labels.get(a) + " from meta.yaml");
                }
                x += idx * table.strides[a + 1];
            }
            alphas[x] = csv.number(row, 5, "alpha");
        }
        return table;
    }

    /** Alpha for a batch: chunk tokens, decode count, decode KV mean/min/max, and summed prefill KV. */
    public double alpha(long chunk, int nDecode, long kvMean, long kvMin, long kvMax, long kvPrefill) {
        if (chunkValues.length == 0) {
            return alphaDefault;
        }
        if (chunk > Integer.MAX_VALUE) {
            return alphaDefault;
        }
        int p = Arrays.binarySearch(chunkValues, (int) chunk);
        if (p < 0) {
            return alphaDefault;
        }
        long gap = kvMax - kvMin;
        double rate = gap > 0 ? (double) (kvMean - kvMin) / gap : 0.5;
        rate = Math.max(0.0, Math.min(1.0, rate));
        int x = p * strides[0]
                + label(bins[0], nDecode) * strides[1]
                + label(bins[1], rate) * strides[2]
                + label(bins[2], kvMax) * strides[3]
                + label(bins[3], kvPrefill) * strides[4];
        double a = alphas[x];
        return Double.isNaN(a) ? alphaDefault : a;
    }

    /** True when this bundle corrects skewed batches at all. */
    public boolean enabled() {
        return chunkValues.length > 0 || alphaDefault != 0.0;
    }

    private static int label(double[] edges, double v) {
        int last = edges.length - 2;
        for (int i = 0; i < last; i++) {
            if (v <= edges[i + 1]) {
                return i;
            }
        }
        return last;
    }
}
