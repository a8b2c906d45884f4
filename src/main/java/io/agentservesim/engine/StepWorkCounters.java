package io.agentservesim.engine;

/**
 * What an instance's steps computed, by kind of work (AgentServe's split, {@link PrefillKind}): steps that only
 * prefill, only decode, or mix both; prefill tokens of cold and of resume turns; decode tokens. One
 * {@link #count} per launched step, from counts its {@link StepPlan} kept while it was built.
 */
public final class StepWorkCounters {
    private long prefillOnlySteps;
    private long decodeOnlySteps;
    private long mixedSteps;
    private long coldPrefillTokens;
    private long resumePrefillTokens;
    private long decodeTokens;

    /** Adds one launched step. */
    void count(StepPlan step) {
        long prefill = step.coldPrefillTokens() + step.resumePrefillTokens();
        int decodes = step.decodes();
        if (prefill > 0 && decodes > 0) {
            mixedSteps++;
        } else if (prefill > 0) {
            prefillOnlySteps++;
        } else if (decodes > 0) {
            decodeOnlySteps++;
        }
        coldPrefillTokens += step.coldPrefillTokens();
        resumePrefillTokens += step.resumePrefillTokens();
        decodeTokens += decodes;
    }

    /** Adds another instance's counts (a cluster's totals). */
    public void add(StepWorkCounters o) {
        prefillOnlySteps += o.prefillOnlySteps;
        decodeOnlySteps += o.decodeOnlySteps;
        mixedSteps += o.mixedSteps;
        coldPrefillTokens += o.coldPrefillTokens;
        resumePrefillTokens += o.resumePrefillTokens;
        decodeTokens += o.decodeTokens;
    }

    public long prefillOnlySteps() { return prefillOnlySteps; }
    public long decodeOnlySteps() { return decodeOnlySteps; }
    public long mixedSteps() { return mixedSteps; }
    public long coldPrefillTokens() { return coldPrefillTokens; }
    public long resumePrefillTokens() { return resumePrefillTokens; }
    public long decodeTokens() { return decodeTokens; }
}
