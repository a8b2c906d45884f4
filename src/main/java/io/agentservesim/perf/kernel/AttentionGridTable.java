package io.agentservesim.perf.kernel;

import java.util.function.DoubleUnaryOperator;

/**
 * One measured attention slice (one query-head / KV-head count and KV dtype) over two axes, outer
 * {@code a} and inner {@code b}: context attention is (sequence length, batch), generation attention is
 * (batch, cached tokens). As AIConfigurator resolves it: along the inner axis each measured row is a
 * {@link MeasuredCurve}; the two outer rows around the query are blended linearly, or in square-root
 * space where the kernel grows with the square of that axis (context attention along the sequence
 * length: AIConfigurator's "sqrt-on-seq" transform); beyond the outer axis's range the nearest row's
 * utilisation is held and the speed of light carries the growth.
 */
final class AttentionGridTable {
    /** Speed of light of one call at (outer, inner). */
    interface Sol {
        double us(double a, double b);
    }

    private final double[] outer;
    private final MeasuredCurve[] rows;
    private final boolean sqrtOuter;
    private final Sol sol;
    private final DoubleUnaryOperator[] rowSol;

    AttentionGridTable(double[] outer, MeasuredCurve[] rows, boolean sqrtOuter, Sol sol) {
        this.outer = outer;
        this.rows = rows;
        this.sqrtOuter = sqrtOuter;
        this.sol = sol;
        this.rowSol = new DoubleUnaryOperator[outer.length];
        for (int i = 0; i < outer.length; i++) {
            double a = outer[i];
            rowSol[i] = b -> sol.us(a, b);
        }
    }

    double us(double a, double b) {
        int n = outer.length;
        if (a <= outer[0] || n == 1) {
            double v = rows[0].at(b, rowSol[0]);
            return a == outer[0] ? v : v * sol.us(a, b) / sol.us(outer[0], b);
        }
        if (a >= outer[n - 1]) {
            double v = rows[n - 1].at(b, rowSol[n - 1]);
            return a == outer[n - 1] ? v : v * sol.us(a, b) / sol.us(outer[n - 1], b);
        }
        int hi = 1;
        while (outer[hi] <= a) {
            hi++;
        }
        int lo = hi - 1;
        double vlo = rows[lo].at(b, rowSol[lo]);
        if (outer[lo] == a) {
            return vlo;
        }
        double vhi = rows[hi].at(b, rowSol[hi]);
        double w = (a - outer[lo]) / (outer[hi] - outer[lo]);
        if (sqrtOuter) {
            double r = Math.sqrt(vlo) + w * (Math.sqrt(vhi) - Math.sqrt(vlo));
            return r * r;
        }
        return vlo + w * (vhi - vlo);
    }
}
