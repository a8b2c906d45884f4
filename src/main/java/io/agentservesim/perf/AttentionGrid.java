package io.agentservesim.perf;

import io.agentservesim.error.InputException;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Per-layer attention time on the profiler's 4-D grid (prefill_chunk, kv_prefill, n_decode, kv_decode),
 * stored as one dense {@code double[]} in microseconds with a sorted axis per dimension, evaluated by
 * multilinear interpolation (linear on each axis, 16 corners) and linear extrapolation from the two
 * outermost samples of an axis beyond its ends.
 *
 * <p>Semantics followed from LLMServingSim {@code llmservingsim/serving/core/trace_generator.py}
 * ({@code _build_attention_table}, {@code _axis_bracket}, {@code _attn_slice_lookup},
 * {@code _lookup_attention}): the blend is linear (not log) on every axis even though the grid is
 * geometric — that file documents that decode attention is linear in n_decode·kv_decode and that
 * log-space blending is biased upward by ~12% — and values above an axis are extrapolated from its
 * top two samples. Axis meaning (from {@code llmservingsim/serving/core/scheduler.py} batch building):
 * {@code kv_prefill} and {@code kv_decode} are tokens already in the KV cache before this step
 * ({@code num_computed_tokens}), not counting the chunk or the token being decoded now.
 *
 * <p>The measured grid is not a full tensor product, so cells the CSV lacks are filled at load time so
 * that interpolation reproduces what LLMServingSim's slice lookup gives there:
 * <ul>
 *   <li>prefill_chunk = 0 with kv_prefill &gt; 0: kv_prefill means nothing without a chunk; the
 *       kv_prefill = 0 value is copied (LLMServingSim's (0, n) slice has a single kv_prefill row).</li>
 *   <li>n_decode = 0 with kv_decode &gt; 0: likewise the kv_decode = 0 value is copied.</li>
 *   <li>n_decode &gt; 0 with kv_decode = 0: the smallest profiled kv_decode value is copied
 *       (LLMServingSim clamps below an axis's first sample).</li>
 *   <li>prefill_chunk = 0 and n_decode = 0 (an empty step, never profiled): LLMServingSim falls back
 *       to the nearest profiled (chunk, n_decode) pair, (0, first n_decode); that value is copied, so a
 *       pure prefill of fewer tokens than the first chunk sample blends toward one tiny decode.</li>
 *   <li>Any remaining hole (the profiler skips n_decode = max_num_seqs with a prefill chunk, since the
 *       batch would exceed max_num_seqs) is extrapolated linearly along n_decode, else prefill_chunk,
 *       else kv_decode, else kv_prefill, from the two nearest filled neighbours. Here this deliberately
 *       departs from LLMServingSim, which substitutes the nearest (chunk, n_decode) slice and so drops
 *       the chunk's cost; extrapolation is the same rule used outside the grid.</li>
 * </ul>
 * The query path allocates nothing: four binary searches on small axes and a 16-corner sum.
 */
public final class AttentionGrid {
    private final double[] pc;
    private final double[] kp;
    private final double[] nd;
    private final double[] kd;
    private final double[] us;
    private final int s0;
    private final int s1;
    private final int s2;
    private final int offGridRows;

    private AttentionGrid(double[] pc, double[] kp, double[] nd, double[] kd, double[] us, int offGridRows) {
        this.pc = pc;
        this.kp = kp;
        this.nd = nd;
        this.kd = kd;
        this.us = us;
        this.s2 = kd.length;
        this.s1 = nd.length * s2;
        this.s0 = kp.length * s1;
        this.offGridRows = offGridRows;
    }

    /**
     * Reads {@code attention.csv}. When {@code chunkAxis}/{@code kvAxis}/{@code nDecodeAxis} are given
     * (from meta.yaml's attention_grid) the table is built on exactly those axes and rows off them are
     * ignored (some bundles carry extra scattered samples between grid points); when null, the axes are
     * the distinct values found in the file.
     */
    static AttentionGrid read(Path file, int[] chunkAxis, int[] kvAxis, int[] nDecodeAxis) {
        ProfileCsv csv = ProfileCsv.read(file, "prefill_chunk", "kv_prefill", "n_decode", "kv_decode", "time_us");
        int n = csv.rows().size();
        if (n == 0) {
            throw InputException.at(file, 2, "attention table has no rows");
        }
        int[][] coords = new int[n][4];
        double[] times = new double[n];
        String[] names = {"prefill_chunk", "kv_prefill", "n_decode", "kv_decode"};
        for (int r = 0; r < n; r++) {
            ProfileCsv.Row row = csv.rows().get(r);
            for (int c = 0; c < 4; c++) {
                coords[r][c] = csv.count(row, c, names[c]);
            }
            times[r] = csv.timeUs(row, 4, "time_us");
        }
        int[][] axes = {
            chunkAxis != null ? chunkAxis : distinct(coords, 0),
            kvAxis != null ? kvAxis : distinct(coords, 1),
            nDecodeAxis != null ? nDecodeAxis : distinct(coords, 2),
            kvAxis != null ? kvAxis : distinct(coords, 3),
        };
        for (int c = 0; c < 4; c++) {
            for (int v : axes[c]) {
                if (!contains(coords, c, v)) {
                    throw InputException.at(file, "grid value " + names[c] + "=" + v
                            + " (from meta.yaml attention_grid) has no row in the table");
                }
            }
        }
        double[] values = new double[axes[0].length * axes[1].length * axes[2].length * axes[3].length];
        Arrays.fill(values, Double.NaN);
        AttentionGrid grid = new AttentionGrid(toDouble(axes[0]), toDouble(axes[1]), toDouble(axes[2]),
                toDouble(axes[3]), values, 0);
        int off = 0;
        for (int r = 0; r < n; r++) {
            int i = Arrays.binarySearch(axes[0], coords[r][0]);
            int j = Arrays.binarySearch(axes[1], coords[r][1]);
            int k = Arrays.binarySearch(axes[2], coords[r][2]);
            int l = Arrays.binarySearch(axes[3], coords[r][3]);
            if (i < 0 || j < 0 || k < 0 || l < 0) {
                off++;
                continue;
            }
            values[grid.index(i, j, k, l)] = times[r]; // duplicate keys: last row wins, as in LLMServingSim
        }
        grid.fillHoles(file);
        return new AttentionGrid(grid.pc, grid.kp, grid.nd, grid.kd, values, off);
    }

    /** Builds a grid directly from complete values (row-major over pc, kv_prefill, n_decode, kv_decode). */
    static AttentionGrid of(double[] pc, double[] kp, double[] nd, double[] kd, double[] us) {
        return new AttentionGrid(pc.clone(), kp.clone(), nd.clone(), kd.clone(), us.clone(), 0);
    }

    /**
     * Attention time of one layer in microseconds for a chunk of {@code chunk} prefill tokens over
     * {@code kvPrefill} cached tokens plus {@code nDecode} decodes of {@code kvDecode} cached tokens each.
     * Not clamped: extrapolating a falling edge can go below zero; the caller clamps.
     */
    public double timeUs(double chunk, double kvPrefill, double nDecode, double kvDecode) {
        int i = 0, j = 0, k = 0, l = 0;
        double ti = 0, tj = 0, tk = 0, tl = 0;
        int di = 0, dj = 0, dk = 0, dl = 0;
        if (pc.length > 1) {
            i = GridAxis.lowerIndex(pc, chunk);
            ti = (chunk - pc[i]) / (pc[i + 1] - pc[i]);
            di = s0;
        }
        if (kp.length > 1) {
            j = GridAxis.lowerIndex(kp, kvPrefill);
            tj = (kvPrefill - kp[j]) / (kp[j + 1] - kp[j]);
            dj = s1;
        }
        if (nd.length > 1) {
            k = GridAxis.lowerIndex(nd, nDecode);
            tk = (nDecode - nd[k]) / (nd[k + 1] - nd[k]);
            dk = s2;
        }
        if (kd.length > 1) {
            l = GridAxis.lowerIndex(kd, kvDecode);
            tl = (kvDecode - kd[l]) / (kd[l + 1] - kd[l]);
            dl = 1;
        }
        int base = i * s0 + j * s1 + k * s2 + l;
        double sum = 0;
        for (int corner = 0; corner < 16; corner++) {
            int bi = corner >>> 3, bj = (corner >>> 2) & 1, bk = (corner >>> 1) & 1, bl = corner & 1;
            double w = (bi == 1 ? ti : 1 - ti) * (bj == 1 ? tj : 1 - tj)
                    * (bk == 1 ? tk : 1 - tk) * (bl == 1 ? tl : 1 - tl);
            if (w != 0) {
                sum += w * us[base + bi * di + bj * dj + bk * dk + bl * dl];
            }
        }
        return sum;
    }

    /** Rows of attention.csv that lie off the grid axes and were not used. */
    public int offGridRows() { return offGridRows; }

    public double[] chunkAxis() { return pc.clone(); }

    public double[] kvAxis() { return kp.clone(); }

    public double[] nDecodeAxis() { return nd.clone(); }

    private int index(int i, int j, int k, int l) {
        return i * s0 + j * s1 + k * s2 + l;
    }

    private void fillHoles(Path file) {
        boolean any = true;
        while (any) {
            copyStructural();
            any = extrapolateOnce();
        }
        for (int x = 0; x < us.length; x++) {
            if (Double.isNaN(us[x])) {
                int i = x / s0, j = (x % s0) / s1, k = (x % s1) / s2, l = x % s2;
                throw InputException.at(file, "no measurement near grid cell prefill_chunk=" + (long) pc[i]
                        + " kv_prefill=" + (long) kp[j] + " n_decode=" + (long) nd[k] + " kv_decode=" + (long) kd[l]);
            }
        }
    }

    private void copyStructural() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 0; i < pc.length; i++) {
                for (int j = 0; j < kp.length; j++) {
                    for (int k = 0; k < nd.length; k++) {
                        for (int l = 0; l < kd.length; l++) {
                            int x = index(i, j, k, l);
                            if (!Double.isNaN(us[x])) {
                                continue;
                            }
                            double v = Double.NaN;
                            if (pc[i] == 0 && j > 0) {
                                v = us[index(i, 0, k, l)];
                            }
                            if (Double.isNaN(v) && nd[k] == 0 && l > 0) {
                                v = us[index(i, j, k, 0)];
                            }
                            if (Double.isNaN(v) && nd[k] > 0 && kd[l] == 0 && l + 1 < kd.length) {
                                v = us[index(i, j, k, l + 1)];
                            }
                            if (Double.isNaN(v) && pc[i] == 0 && nd[k] == 0 && k + 1 < nd.length) {
                                v = us[index(i, j, k + 1, l)];
                            }
                            if (!Double.isNaN(v)) {
                                us[x] = v;
                                changed = true;
                            }
                        }
                    }
                }
            }
        }
    }

    /** Fills every hole that has two filled neighbours below it on some axis; true if any was filled. */
    private boolean extrapolateOnce() {
        boolean changed = false;
        for (int i = 0; i < pc.length; i++) {
            for (int j = 0; j < kp.length; j++) {
                for (int k = 0; k < nd.length; k++) {
                    for (int l = 0; l < kd.length; l++) {
                        int x = index(i, j, k, l);
                        if (!Double.isNaN(us[x])) {
                            continue;
                        }
                        double v = extrapolateBelow(nd, k, x, s2);
                        if (Double.isNaN(v)) v = extrapolateBelow(pc, i, x, s0);
                        if (Double.isNaN(v)) v = extrapolateBelow(kd, l, x, 1);
                        if (Double.isNaN(v)) v = extrapolateBelow(kp, j, x, s1);
                        if (!Double.isNaN(v)) {
                            us[x] = Math.max(0, v);
                            changed = true;
                        }
                    }
                }
            }
        }
        return changed;
    }

    private double extrapolateBelow(double[] axis, int pos, int x, int stride) {
        if (pos < 2) {
            return Double.NaN;
        }
        double y1 = us[x - stride];
        double y0 = us[x - 2 * stride];
        if (Double.isNaN(y0) || Double.isNaN(y1)) {
            return Double.NaN;
        }
        double a0 = axis[pos - 2], a1 = axis[pos - 1];
        return y1 + (axis[pos] - a1) * (y1 - y0) / (a1 - a0);
    }

    private static int[] distinct(int[][] coords, int c) {
        return Arrays.stream(coords).mapToInt(r -> r[c]).distinct().sorted().toArray();
    }

    private static boolean contains(int[][] coords, int c, int v) {
        for (int[] r : coords) {
            if (r[c] == v) {
                return true;
            }
        }
        return false;
    }

    private static double[] toDouble(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
