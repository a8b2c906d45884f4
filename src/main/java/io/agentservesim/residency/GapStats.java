package io.agentservesim.residency;

/**
 * Observed tool-call gaps (from a turn's end to its next turn's readiness) of one tool across the
 * cluster, or of one program: count, mean, and a log-normal fit (mean and sd of ln gap) for quantiles.
 * Only the past: a gap is recorded once it is over.
 */
public final class GapStats {
    private long count;
    private double sumNs;
    private double sumLog;
    private double sumLogSq;
    /** Exponentially weighted mean and variance of ln gap (SAGA's per-tool fit, weight {@link #EMA_WEIGHT}). */
    private double emaLog;
    private double emaLogVar;
    /** Exponentially weighted mean gap (weight {@link #EMA_WEIGHT} on the newest), ns. */
    private double emaNs;
    static final double EMA_WEIGHT = 0.2;

    public void record(long gapNs) {
        double x = Math.log(Math.max(gapNs, 1L));
        if (count == 0) {
            emaLog = x;
            emaLogVar = 0;
            emaNs = gapNs;
        } else {
            emaNs += EMA_WEIGHT * (gapNs - emaNs);
            // West's incremental exponentially weighted variance: the newest gap weighs EMA_WEIGHT.
            double d = x - emaLog;
            emaLog += EMA_WEIGHT * d;
            emaLogVar = (1 - EMA_WEIGHT) * (emaLogVar + EMA_WEIGHT * d * d);
        }
        count++;
        sumNs += gapNs;
        double l = Math.log(Math.max(gapNs, 1L));
        sumLog += l;
        sumLogSq += l * l;
    }

    public long count() {
        return count;
    }

    /** Exponentially weighted mean gap, 0.2 on the newest (0.8 x previous + 0.2 x gap), ns; NaN before the first. */
    public double emaNs() {
        return count == 0 ? Double.NaN : emaNs;
    }

    /** Mean observed gap in ns; NaN before the first observation. */
    public double meanNs() {
        return count == 0 ? Double.NaN : sumNs / count;
    }

    /**
     * The {@code p}-quantile of a log-normal whose ln-mean and ln-variance are exponentially weighted
     * (weight 0.2 on the newest gap), so the fit follows a tool whose latency drifts; NaN before the first
     * observation, the one gap itself after it.
     */
    public double emaLognormalQuantileNs(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double z = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1).inverseCumulativeProbability(p);
        return Math.exp(emaLog + z * Math.sqrt(emaLogVar));
    }

    /**
     * The {@code p}-quantile (0 &lt; p &lt; 1) of a log-normal fitted to the observed gaps by the mean and
     * sd of their logarithms; NaN with fewer than two observations.
     */
    public double lognormalQuantileNs(double p) {
        if (count < 2) {
            return Double.NaN;
        }
        double mu = sumLog / count;
        double var = Math.max(0, (sumLogSq - count * mu * mu) / (count - 1));
        double z = org.apache.commons.statistics.distribution.NormalDistribution.of(0, 1).inverseCumulativeProbability(p);
        return Math.exp(mu + z * Math.sqrt(var));
    }
}
