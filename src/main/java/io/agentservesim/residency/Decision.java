package io.agentservesim.residency;

/**
 * The kinds of decision a policy makes that a user can see in decisions.csv and summary.json "decisions":
 * what happened to a program's KV at a turn's end and afterwards, and what the scheduler did because of a
 * policy (turns held back at admission, preemption victims).
 */
public enum Decision {
    /** Turn end: the KV was pinned; tokens = context, detail = the pin's deadline (ns). */
    PIN("pin", "pins_granted"),
    /** The program's next turn was admitted while its pin held: tokens = prompt tokens it found cached then. */
    PIN_KEPT("pin_kept", "pins_kept"),
    /** Blocks ran out and the pin was released early; tokens = the context it held. */
    PIN_BROKEN("pin_broken", "pins_broken"),
    /** The pin's deadline passed before the next turn was admitted. */
    PIN_EXPIRED("pin_expired", "pins_expired"),
    /** Turn end: the blocks went to the LRU prefix cache (stock vLLM). */
    RELEASE("release", "releases"),
    /** Turn end: the blocks and their cache entries were dropped. */
    EVICT("evict", "evictions"),
    /**
     * InferCept re-weighed a preserved context and found recomputing it cheaper than keeping it: its pin
     * ends and its blocks go to the LRU prefix cache; tokens = context, detail = its predicted return.
     */
    DISCARD("discard", "discards"),
    /** As DISCARD, after copying its leading blocks to the host tier within the step's swap budget (bytes). */
    SWAP_OUT("swap_out", "swaps_out"),
    /** Turn end: the blocks were copied to the host tier; bytes = bytes copied (0 when all were there). */
    OFFLOAD("offload", "offloads"),
    /** A turn read its KV back from the host tier at admission; bytes moved, detail = when it landed. */
    RESTORE("restore", "restores"),
    /** KV read back from the host tier before the turn needed it; bytes moved, detail = when it landed. */
    PREFETCH("prefetch", "prefetches"),
    /** A prefetch was ready when its turn arrived (the transfer hid behind the tool gap). */
    PREFETCH_IN_TIME("prefetch_in_time", "prefetches_in_time"),
    /** A turn was not admitted this step because the scheduling policy held it back. */
    ADMIT_HELD("admit_held", "admits_held"),
    /** A running request was preempted (recompute); tokens = computed tokens it loses. */
    VICTIM("victim", "victims");

    private final String csvName;
    private final String counterName;

    Decision(String csvName, String counterName) {
        this.csvName = csvName;
        this.counterName = counterName;
    }

    /** The name in decisions.csv. */
    public String csvName() {
        return csvName;
    }

    /** The key of its count in summary.json "decisions". */
    public String counterName() {
        return counterName;
    }
}
