package io.agentservesim.metrics;

import org.HdrHistogram.Histogram;

/**
 * Streaming distribution of one latency metric: an HdrHistogram (3 significant digits) for
 * percentiles and an exact sum for the mean, so memory does not grow with the number of requests.
 */
public final class LatencyDistribution {
    private final Histogram histogram = new Histogram(3);
    private long count;
    private double sumNs;

    public void record(long ns) {
        histogram.recordValue(Math.max(0, ns));
        count++;
        sumNs += ns;
    }

    public long count() {
        return count;
    }

    public double meanMs() {
        return count == 0 ? Double.NaN : sumNs / count / 1e6;
    }

    public double percentileMs(double p) {
        return count == 0 ? Double.NaN : histogram.getValueAtPercentile(p) / 1e6;
    }

    public double maxMs() {
        return count == 0 ? Double.NaN : histogram.getMaxValue() / 1e6;
    }
}
