package io.agentservesim.metrics;

/**
 * Service-level targets of an agent run (config {@code slo}): a turn is within its TTFT target when its
 * first token came at most {@code ttftNs} after its arrival, within its TPOT target when its mean time per
 * output token after the first is at most {@code tpotNs} (a one-token turn has no TPOT and meets it, as
 * vLLM's {@code --goodput} counts it), and a program within its JCT target when it ended at most
 * {@code jctNs} after it arrived. A target of -1 is not set: nothing is judged against it.
 */
public record SloTargets(long ttftNs, long tpotNs, long jctNs) {
    public static final SloTargets NONE = new SloTargets(-1, -1, -1);

    public boolean hasTurnTarget() {
        return ttftNs >= 0 || tpotNs >= 0;
    }

    public boolean withinTtft(long ttft) {
        return ttftNs < 0 || ttft <= ttftNs;
    }

    public boolean withinTpot(long tpot, boolean hasTpot) {
        return tpotNs < 0 || !hasTpot || tpot <= tpotNs;
    }

    public boolean withinJct(long jct) {
        return jctNs < 0 || jct <= jctNs;
    }
}
