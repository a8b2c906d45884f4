package io.agentservesim.engine;

/**
 * AgentServe's two kinds of prefill (arXiv 2603.10342, section 3): a <em>cold</em> prefill computes a prompt
 * the engine holds little of (a new session's system prompt and task, or a context whose KV was evicted and is
 * recomputed), a <em>resume</em> prefill appends a tool's output to a context already in the prefix cache.
 * A turn is classified once, at its first admission, by the share of its prompt the prefix cache (or a KV load
 * from a slower tier) served then.
 *
 * <p>The threshold is {@value #RESUME_MIN_CACHED_SHARE}: resume when at least half the prompt was cached, i.e.
 * when the tokens the turn must compute are no more than the tokens it reuses. That is the property the paper's
 * scheduling rests on (a resume prefill is short next to its context, so it can be budgeted per step without
 * starving decodes); the split is insensitive to the exact value on agent loops, whose resumes cache 80-99 % of
 * the prompt (a 300-token tool output on a 3k-token context) and whose cold turns cache 0 % or only a shared
 * system prompt. A first turn whose shared system prompt is over half its prompt counts as resume: its compute
 * is short, which is what the classification is for.
 */
public enum PrefillKind {
    COLD("cold"),
    RESUME("resume");

    /** Least share of the prompt found cached at admission for a resume prefill. */
    public static final double RESUME_MIN_CACHED_SHARE = 0.5;

    private final String label;

    PrefillKind(String label) {
        this.label = label;
    }

    /** The kind of a prefill of {@code promptTokens} of which {@code cachedTokens} were cached at admission. */
    public static PrefillKind of(int cachedTokens, int promptTokens) {
        return isResume(cachedTokens, promptTokens) ? RESUME : COLD;
    }

    /** Same as {@link #of} without the enum (hot path). */
    public static boolean isResume(int cachedTokens, int promptTokens) {
        return promptTokens > 0 && 2L * cachedTokens >= promptTokens;
    }

    /** The name in outputs: "cold" or "resume". */
    public String label() {
        return label;
    }
}
