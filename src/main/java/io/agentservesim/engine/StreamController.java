package io.agentservesim.engine;

/**
 * Sets a split engine's ({@link StreamSplit}) decode share of the SMs and resume-prefill budget from what its
 * decode stream measures. Called once per decode-stream step, from the event loop.
 */
public interface StreamController {
    /** The decode stream's SM share while the prefill stream has work, in tenths of the SMs (1..9). */
    int decodeSlot();

    /** Resume-prefill tokens the decode stream may take per step. */
    int resumeBudget();

    /**
     * A decode-stream step ended at {@code nowNs}; {@code gapNs} is the time since the previous decode-stream step
     * ended when both held decodes (the inter-token time of a request in both), else -1; {@code beside} whether
     * the step ran on its share beside a prefill-stream step (false: it had the GPU to itself).
     */
    void onDecodeStep(long nowNs, long gapNs, boolean beside);

    /** Control periods that raised decode's share (0 for a controller without feedback). */
    default long raises() {
        return 0;
    }

    /** Control periods that lowered decode's share. */
    default long lowers() {
        return 0;
    }
}
