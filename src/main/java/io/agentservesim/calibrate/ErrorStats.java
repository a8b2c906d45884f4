package io.agentservesim.calibrate;

import java.util.List;

/**
 * Mean and max of |error| and the signed mean over a set of comparisons, error = model / measured − 1.
 *
 * @param count comparisons; the other fields are NaN when it is 0
 */
public record ErrorStats(double meanAbs, double maxAbs, double meanSigned, int count) {
    static ErrorStats of(List<Double> errors) {
        double sum = 0;
        double abs = 0;
        double max = 0;
        for (double e : errors) {
            sum += e;
            abs += Math.abs(e);
            max = Math.max(max, Math.abs(e));
        }
        int n = errors.size();
        return n == 0 ? new ErrorStats(Double.NaN, Double.NaN, Double.NaN, 0) : new ErrorStats(abs / n, max, sum / n, n);
    }
}
