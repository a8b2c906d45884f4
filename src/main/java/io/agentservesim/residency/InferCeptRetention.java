package io.agentservesim.residency;

/**
 * InferCept's min-waste interception (Abhyankar et al., "InferCept: Efficient Intercept Support for
 * Augmented Large Language Model Inference", ICML 2024, arXiv 2402.01869, §4; code:
 * github.com/WukLab/InferCept, {@code vllm/core/scheduler_v2.py}). At an interception it weighs three
 * ways to hold the context by the GPU memory they waste, in memory × time, and takes the least:
 * <ul>
 *   <li>preserve: the context sits idle for the whole interception, T_int × M(C_i)
 *       (the code: remaining API time × the sequence's blocks);</li>
 *   <li>discard: on return the context is recomputed, and during that prefill the running batch
 *       stalls with it, T_fwd(C_i) × (M(C_i) + M(C_other));</li>
 *   <li>swap (only with a host tier): copying out and back stalls the batch, (T_out + T_in) ×
 *       (M(C_i) + M(C_other)).</li>
 * </ul>
 * T_int is unknown in advance here (InferCept is given the API's execution time), so it is estimated
 * from the past: the tool's observed mean gap, else the program's, else {@code defaultGapNs}. Preserve
 * pins until now + T_int. Ties prefer preserve, then swap, then discard.
 *
 * <p>Simplified: InferCept chunks recomputation into the batch's spare tokens and pipelines swaps
 * under a per-iteration budget, which lowers those two wastes; here the whole recompute and copy time
 * count as stalled (no overlap), and the choice is made once at turn end rather than re-weighed each
 * iteration against the remaining API time.
 */
public final class InferCeptRetention implements RetentionPolicy {
    public static final String NAME = "infercept";

    private final long defaultGapNs;

    public InferCeptRetention(long defaultGapNs) {
        this.defaultGapNs = PinDeadline.requirePositive(defaultGapNs, "infercept default gap");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RetentionDecision onTurnEnd(RetentionContext ctx) {
        if (ctx.toolName() == null) {
            return RetentionDecision.RELEASE;
        }
        double interceptNs = expectedGapNs(ctx);
        double context = ctx.kvBytes();
        double stalled = context + ctx.runningKvBytes();
        double preserve = interceptNs * context;
        double discard = (double) ctx.recomputeNs() * stalled;
        double swap = ctx.hasHostTier()
                ? ((double) ctx.swapOutNs() + ctx.swapInNs()) * stalled
                : Double.POSITIVE_INFINITY;
        if (preserve <= swap && preserve <= discard) {
            return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), interceptNs));
        }
        return swap <= discard ? RetentionDecision.OFFLOAD : RetentionDecision.EVICT;
    }

    /** T_int: the tool's observed mean gap, else the program's, else the configured default. */
    double expectedGapNs(RetentionContext ctx) {
        if (ctx.toolGaps().count() > 0) {
            return ctx.toolGaps().meanNs();
        }
        if (ctx.programGaps().count() > 0) {
            return ctx.programGaps().meanNs();
        }
        return defaultGapNs;
    }
}
