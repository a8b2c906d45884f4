package io.agentservesim.residency;

/**
 * A retention policy's answer at turn end.
 *
 * @param action what to do with the program's KV
 * @param pinUntilNs for PIN: the absolute time the pin expires (then the blocks are released as by RELEASE)
 */
public record RetentionDecision(RetentionAction action, long pinUntilNs) {
    public static final RetentionDecision RELEASE = new RetentionDecision(RetentionAction.RELEASE, 0);
    public static final RetentionDecision EVICT = new RetentionDecision(RetentionAction.EVICT, 0);
    public static final RetentionDecision OFFLOAD = new RetentionDecision(RetentionAction.OFFLOAD, 0);

    public static RetentionDecision pinUntil(long deadlineNs) {
        return new RetentionDecision(RetentionAction.PIN, deadlineNs);
    }
}
