package io.agentservesim.validate;

import it.unimi.dsi.fastutil.doubles.DoubleArrayList;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * TTFT, TPOT and E2E latencies (ms) of every request of a run, with the exact statistics the
 * real-run summaries use: mean, and percentiles by linear interpolation between closest ranks (numpy's
 * default, Hyndman-Fan type 7, which LLMServingSim's validator uses). TPOT is skipped for one-token
 * outputs.
 */
public final class LatencySamples {
    public enum Metric { TTFT, TPOT, LATENCY }

    private static final Quantile NUMPY_LINEAR = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7);

    private final DoubleArrayList ttft = new DoubleArrayList();
    private final DoubleArrayList tpot = new DoubleArrayList();
    private final DoubleArrayList latency = new DoubleArrayList();
    /** Per request, in the order added: TPOT, NaN for one-token outputs (the TPOT list skips those). */
    private final DoubleArrayList tpotByRequest = new DoubleArrayList();

    public void add(double ttftMs, double tpotMs, boolean hasTpot, double e2eMs) {
        ttft.add(ttftMs);
        if (hasTpot) {
            tpot.add(tpotMs);
        }
        tpotByRequest.add(hasTpot ? tpotMs : Double.NaN);
        latency.add(e2eMs);
    }

    /** TTFT (ms) of the i-th request added. */
    public double ttftOf(int i) {
        return ttft.getDouble(i);
    }

    /** TPOT (ms) of the i-th request added; NaN when it produced one token only. */
    public double tpotOf(int i) {
        return tpotByRequest.getDouble(i);
    }

    public int size() {
        return latency.size();
    }

    /** {@code stat} is "mean", "median" or "pNN". */
    public double value(Metric metric, String stat) {
        double[] v = values(metric);
        if (v.length == 0) {
            return Double.NaN;
        }
        return switch (stat) {
            case "mean" -> Mean.of(v).getAsDouble();
            case "median" -> percentile(v, 50);
            default -> {
                if (!stat.startsWith("p")) {
                    throw new IllegalArgumentException("unknown statistic " + stat);
                }
                yield percentile(v, Double.parseDouble(stat.substring(1)));
            }
        };
    }

    private double[] values(Metric metric) {
        return switch (metric) {
            case TTFT -> ttft.toDoubleArray();
            case TPOT -> tpot.toDoubleArray();
            case LATENCY -> latency.toDoubleArray();
        };
    }

    static double percentile(double[] values, double p) {
        return NUMPY_LINEAR.evaluate(values, p / 100.0);
    }
}
