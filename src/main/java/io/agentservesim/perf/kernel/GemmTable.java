package io.agentservesim.perf.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One GPU's measured GEMMs of one weight dtype ({@code gemm_perf}, C[m,n] = A[m,k] × B[k,n]), resolved
 * the way AIConfigurator's estimator resolves them (its {@code ScatteredSites} resolver,
 * docs/design/perf_interp_design.md): every measured weight shape (n, k) is a site owning its own
 * m-curve ({@link MeasuredCurve}: exact, linear between rows, utilisation held beyond them). A weight
 * shape that was not measured borrows <em>utilisation</em> (speed of light / latency) from the nearest
 * measured sites at the query's m, weighted by inverse distance in log2(n), log2(k), and its own speed of
 * light carries the shape's difference; sites more than {@link #MAX_OCTAVES} octaves away are not used.
 * Where the query lies beyond every site along an axis (an LM head's n = vocab / TP past the largest
 * measured n) the distance is taken to the measured frontier on that axis, as AIConfigurator's
 * scale-up waiver does.
 */
public final class GemmTable {
    /** AIConfigurator's miss gate: a site further than this in log2 space lends no utilisation. */
    static final double MAX_OCTAVES = 2.0;
    /** Sites blended for an unmeasured shape. */
    private static final int NEIGHBOURS = 4;

    private final String dtype;
    private final GemmSol sol;
    private final double[] siteN;
    private final double[] siteK;
    private final MeasuredCurve[] curves;
    private final double minLogN;
    private final double maxLogN;
    private final double minLogK;
    private final double maxLogK;

    GemmTable(String dtype, GemmSol sol, double[] siteN, double[] siteK, MeasuredCurve[] curves) {
        this.dtype = dtype;
        this.sol = sol;
        this.siteN = siteN;
        this.siteK = siteK;
        this.curves = curves;
        double a = Double.POSITIVE_INFINITY;
        double b = Double.NEGATIVE_INFINITY;
        double c = Double.POSITIVE_INFINITY;
        double d = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < siteN.length; i++) {
            a = Math.min(a, log2(siteN[i]));
            b = Math.max(b, log2(siteN[i]));
            c = Math.min(c, log2(siteK[i]));
            d = Math.max(d, log2(siteK[i]));
        }
        this.minLogN = a;
        this.maxLogN = b;
        this.minLogK = c;
        this.maxLogK = d;
    }

    public String dtype() { return dtype; }

    public int sites() { return siteN.length; }

    /**
     * The GEMM of weight shape (n, k) as a function of m, or null when no measured site lies within
     * {@link #MAX_OCTAVES} of it. {@code exclude} &ge; 0 leaves that site out (leave-one-out checks).
     */
    public Gemm resolve(double n, double k, int exclude) {
        for (int i = 0; i < siteN.length; i++) {
            if (i != exclude && siteN[i] == n && siteK[i] == k) {
                return new Gemm(sol, n, k, new MeasuredCurve[] {curves[i]}, new double[] {n}, new double[] {k},
                        new double[] {1.0}, true);
            }
        }
        double qn = clamp(log2(n), minLogN, maxLogN);
        double qk = clamp(log2(k), minLogK, maxLogK);
        int[] best = new int[NEIGHBOURS];
        double[] dist = new double[NEIGHBOURS];
        Arrays.fill(best, -1);
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        for (int i = 0; i < siteN.length; i++) {
            if (i == exclude) {
                continue;
            }
            double dn = log2(siteN[i]) - qn;
            double dk = log2(siteK[i]) - qk;
            if (Math.abs(dn) > MAX_OCTAVES || Math.abs(dk) > MAX_OCTAVES) {
                continue;
            }
            double d = Math.sqrt(dn * dn + dk * dk);
            for (int j = 0; j < NEIGHBOURS; j++) {
                if (d < dist[j]) {
                    System.arraycopy(dist, j, dist, j + 1, NEIGHBOURS - j - 1);
                    System.arraycopy(best, j, best, j + 1, NEIGHBOURS - j - 1);
                    dist[j] = d;
                    best[j] = i;
                    break;
                }
            }
        }
        List<Integer> used = new ArrayList<>();
        for (int j = 0; j < NEIGHBOURS; j++) {
            if (best[j] >= 0) {
                used.add(best[j]);
            }
        }
        if (used.isEmpty()) {
            return null;
        }
        int u = used.size();
        MeasuredCurve[] c = new MeasuredCurve[u];
        double[] ns = new double[u];
        double[] ks = new double[u];
        double[] w = new double[u];
        double total = 0;
        for (int j = 0; j < u; j++) {
            int i = used.get(j);
            c[j] = curves[i];
            ns[j] = siteN[i];
            ks[j] = siteK[i];
            w[j] = 1.0 / Math.max(dist[j], 1e-9);
            total += w[j];
        }
        for (int j = 0; j < u; j++) {
            w[j] /= total;
        }
        return new Gemm(sol, n, k, c, ns, ks, w, false);
    }

    /** The measured sites' shapes, for leave-one-out checks: {n, k} per site. */
    public double[][] siteShapes() {
        double[][] out = new double[siteN.length][];
        for (int i = 0; i < siteN.length; i++) {
            out[i] = new double[] {siteN[i], siteK[i]};
        }
        return out;
    }

    /** The measured points of site {@code i}: {m, µs} rows. */
    public double[][] sitePoints(int i) {
        MeasuredCurve c = curves[i];
        double[][] out = new double[c.size()][];
        for (int j = 0; j < c.size(); j++) {
            out[j] = new double[] {c.x(j), c.us(j)};
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2.0);
    }

    /** One weight shape's GEMM time as a function of m (rows = tokens). */
    public static final class Gemm {
        private final GemmSol sol;
        private final double n;
        private final double k;
        private final MeasuredCurve[] curves;
        private final double[] siteN;
        private final double[] siteK;
        private final double[] weights;
        private final boolean measured;
        /** The speed of light of each site along m, built once so a query allocates nothing. */
        private final java.util.function.DoubleUnaryOperator[] siteSol;

        Gemm(GemmSol sol, double n, double k, MeasuredCurve[] curves, double[] siteN, double[] siteK,
                double[] weights, boolean measured) {
            this.sol = sol;
            this.n = n;
            this.k = k;
            this.curves = curves;
            this.siteN = siteN;
            this.siteK = siteK;
            this.weights = weights;
            this.measured = measured;
            this.siteSol = new java.util.function.DoubleUnaryOperator[curves.length];
            for (int j = 0; j < curves.length; j++) {
                double sn = siteN[j];
                double sk = siteK[j];
                siteSol[j] = x -> sol.us(x, sn, sk);
            }
        }

        /** Whether (n, k) itself was measured (else its utilisation is borrowed from neighbours). */
        public boolean measured() { return measured; }

        /** Latency in µs at {@code m} rows; 0 for m &le; 0. */
        public double us(double m) {
            if (m <= 0) {
                return 0.0;
            }
            if (measured) {
                return curves[0].at(m, siteSol[0]);
            }
            double util = 0;
            for (int j = 0; j < curves.length; j++) {
                util += weights[j] * sol.us(m, siteN[j], siteK[j]) / curves[j].at(m, siteSol[j]);
            }
            return sol.us(m, n, k) / util;
        }
    }
}
