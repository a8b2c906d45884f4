package io.agentservesim.results;

import org.HdrHistogram.Histogram;

/**
 * Streaming distribution of one latency metric: an HdrHistogram (3 significant digits) for
 * percentiles, an exact sum for the mean, and sums shifted by the first value for the standard deviation
 * (population, as numpy's {@code np.std} in {@code vllm bench serve}; the shift keeps the variance from
 * cancelling when it is small against the mean), so memory does not grow with the number of requests.
 */
public final class LatencyDistribution {
    private final Histogram histogram = new Histogram(3);
    private long count;
    private double sumNs;
    private long shift;
    private double shiftedSum;
    private double shiftedSumSq;

    public void record(long ns) {
        histogram.recordValue(Math.max(0, ns));
        if (count++ == 0) {
            shift = ns;
        }
        sumNs += ns;
        double d = ns - shift;
        shiftedSum += d;
        shiftedSumSq += d * d;
    }

    public long count() {
        return count;
    }

    public double meanMs() {
        return count == 0 ? Double.NaN : sumNs / count / 1e6;
    }

    /** Population standard deviation, ms. */
    public double stdMs() {
        if (count == 0) {
            return Double.NaN;
        }
        double mean = shiftedSum / count;
        return Math.sqrt(Math.max(0, shiftedSumSq / count - mean * mean)) / 1e6;
    }

    public double percentileMs(double p) {
        return count == 0 ? Double.NaN : histogram.getValueAtPercentile(p) / 1e6;
    }

    public double maxMs() {
        return count == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
    }
}
