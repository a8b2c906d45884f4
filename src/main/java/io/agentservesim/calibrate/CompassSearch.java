package io.agentservesim.calibrate;

import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation by compass (pattern) search in log space: try multiplying and dividing
 * each parameter by a step factor, keep any improvement, halve the step (in log) when none helps, stop
 * when the factor is below 1 + 1e-4 (Kolda, Lewis, Torczon, "Optimization by direct search", SIAM
 * Review 2003). Deterministic, needs no gradient, and keeps parameters positive and within bounds.
 */
final class CompassSearch {
    private CompassSearch() {
    }

    /** Minimises {@code objective} from {@code start}, each parameter kept in [lower[i], upper[i]]. */
    static double[] minimise(ToDoubleFunction<double[]> objective, double[] start, double[] lower, double[] upper) {
        double[] x = start.clone();
        double best = objective.applyAsDouble(x);
        double logStep = Math.log(2.0);
        while (logStep > 1e-4) {
            boolean improved = false;
            for (int i = 0; i < x.length; i++) {
                for (int sign = 1; sign >= -1; sign -= 2) {
                    double[] trial = x.clone();
                    trial[i] = Math.min(upper[i], Math.max(lower[i], x[i] * Math.exp(sign * logStep)));
                    if (trial[i] == x[i]) {
                        continue;
                    }
                    double value = objective.applyAsDouble(trial);
                    if (value < best) {
                        best = value;
                        x = trial;
                        improved = true;
                    }
                }
            }
            if (!improved) {
                logStep /= 2.0;
            }
        }
        return x;
    }
}
