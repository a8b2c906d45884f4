package io.agentservesim.perf;

/**
 * The routing shape of a mixture-of-experts model: experts per MoE layer and experts each token is
 * routed to (Hugging Face {@code num_experts} / {@code num_local_experts} and {@code num_experts_per_tok}).
 */
public record MoeSpec(int numExperts, int expertsPerToken) {
    public MoeSpec {
        if (numExperts < 1 || expertsPerToken < 1 || expertsPerToken > numExperts) {
            throw new IllegalArgumentException("need 1 <= expertsPerToken <= numExperts, got "
                    + expertsPerToken + " of " + numExperts);
        }
    }

    /**
     * Distinct experts a step of {@code tokens} tokens activates on one rank under LLMServingSim's
     * default BALANCED gate with no expert parallelism ({@code _balanced_route_ep} in
     * {@code llmservingsim/serving/core/gate_function.py}): {@code min(tokens · k, E)}, a trained,
     * load-balanced router spreads token-expert pairs evenly, so every expert fires once there are
     * enough pairs.
     */
    public double activatedExperts(double tokens) {
        return Math.min(tokens * expertsPerToken, numExperts);
    }
}
