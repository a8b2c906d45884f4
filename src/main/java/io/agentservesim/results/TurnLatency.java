package io.agentservesim.results;

/**
 * The per-request latency definitions of vLLM's benchmark ({@code vllm bench serve}) and LLMServingSim's
 * validator, written once: TTFT = first token - arrival (queueing included); TPOT = (last token - first
 * token) / (output tokens - 1), undefined for a one-token output; E2E = last token - arrival.
 */
public final class TurnLatency {
    private TurnLatency() {
    }

    /** Whether TPOT is defined: at least two output tokens. */
    public static boolean hasTpot(int outputTokens) {
        return outputTokens > 1;
    }

    /** TPOT in ns, unrounded; 0 when undefined. */
    public static double tpotNs(long firstTokenNs, long lastTokenNs, int outputTokens) {
        return hasTpot(outputTokens) ? (double) (lastTokenNs - firstTokenNs) / (outputTokens - 1) : 0;
    }

    /** TPOT in whole ns, as the tables hold it. */
    public static long roundedTpotNs(long firstTokenNs, long lastTokenNs, int outputTokens) {
        return Math.round(tpotNs(firstTokenNs, lastTokenNs, outputTokens));
    }
}
