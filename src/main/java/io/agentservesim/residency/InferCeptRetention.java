package io.agentservesim.residency;

/**
 * InferCept's min-waste interception (Abhyankar et al., "InferCept: Efficient Intercept Support for
 * Augmented Large Language Model Inference", ICML 2024, arXiv 2402.01869, §4; code:
 * github.com/WukLab/InferCept, {@code vllm/core/scheduler_v2.py}, its 'V' policy). When a turn ends in a
 * tool call its context is preserved (pinned) until the call's predicted return, now + T_int; then, at
 * every engine step, the instance weighs each preserved context again ({@link InterceptionReweigh}):
 * preserve waste, remaining T_int x context, against the waste of a chunked recompute priced by the
 * instance's own step-time model ({@link MinWaste}); once recomputing is cheaper the context leaves the
 * GPU, swapped to the host tier within the step's swap budget (what the link moves during one forward
 * pass) when there is one, else discarded. A short call's context is kept, a long one's freed early and
 * its memory given to the running batch, which is the paper's point.
 *
 * <p>T_int is unknown in advance here (InferCept is told the API's execution time), so it is estimated
 * from the past: the tool's observed mean gap, else the program's, else {@code default_gap_s}. The pin
 * ends at the next turn's admission (InferCept resumes a preserved context straight into the running
 * batch), at the predicted return, or under pressure (longest remaining first, as InferCept's passive
 * discard orders its victims).
 */
public final class InferCeptRetention implements RetentionPolicy {
    public static final String NAME = "infercept";

    /** {@code kv.settings.infercept}. */
    public record Settings(@com.fasterxml.jackson.annotation.JsonProperty("default_gap_s") double defaultGapS) {
        public Settings {
            if (!(defaultGapS > 0) || Double.isInfinite(defaultGapS)) {
                throw new IllegalArgumentException("default_gap_s: expected a number of seconds > 0, got " + defaultGapS);
            }
        }
    }

    private final long defaultGapNs;

    public InferCeptRetention(Settings s) {
        this.defaultGapNs = Math.round(s.defaultGapS() * 1e9);
    }

    public InferCeptRetention(long defaultGapNs) {
        this(new Settings(PinDeadline.requirePositive(defaultGapNs, "infercept default gap") / 1e9));
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
        return RetentionDecision.pinUntil(PinDeadline.after(ctx.nowNs(), expectedGapNs(ctx)));
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
