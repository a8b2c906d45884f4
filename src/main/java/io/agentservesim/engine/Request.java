package io.agentservesim.engine;

import io.agentservesim.kv.KvSequence;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * Runtime state of one request inside an engine: token counters (never per-token objects), its KV
 * block table, and the timestamps the metrics need. Mirrors the fields of vLLM's
 * {@code vllm/v1/request.py} that the scheduler reads.
 */
public final class Request {
    public enum Status { WAITING, RUNNING, PREEMPTED, FINISHED }

    final int id;
    final long arrivalNs;
    final int promptTokens;
    final int maxOutputTokens;
    final KvSequence kv;

    /** The agent program this request is a turn of, or null for a plain request. */
    final ProgramHandle program;
    /** For a turn: its index in the program and the tool its output calls (null: none). */
    int turnIndex;
    String toolName;
    /** KV restored from a host tier before admission: first block, block count, bytes. */
    int restoreFromBlock;
    int restoreBlocks;
    long restoredBytes;
    /** The LoRA adapter this request runs with ({@link io.agentservesim.lora.AdapterPool#NONE}: the base model). */
    int adapter = io.agentservesim.lora.AdapterPool.NONE;
    /** Whether it holds a pin on its adapter's slot (from the adapter check at admission until it finishes or is preempted). */
    boolean adapterPinned;
    /** Scheduling priority fixed when the request entered the waiting queue (lower first). */
    long priorityKey;
    /** Order of arrival at this engine (ties of priority). */
    long arrivalSeq;

    Status status = Status.WAITING;
    int numComputedTokens;
    int numOutputTokens;
    /**
     * Sampled tokens of scheduled steps whose output has not been processed yet (vLLM's
     * num_output_placeholders): nonzero only with async scheduling, where the next step is planned
     * before the current one returns.
     */
    int pendingOutputs;
    int preemptions;
    /** Prompt tokens served from the prefix cache at first admission. */
    int prefixHitTokens;
    boolean admittedOnce;
    /**
     * Whether the prefill of the latest admission is a resume ({@link PrefillKind}): at least half its tokens
     * were cached (or loaded) when it was admitted; a preempted turn is classified again when readmitted.
     */
    boolean resumePrefill;
    /** Split engines ({@link StreamSplit}): admitted by the decode stream (a resume prefill riding with decodes). */
    boolean decodeStream;
    /** Split engines: in a step of either stream now (not to be scheduled or preempted by the other). */
    boolean inStep;
    long firstScheduledNs = -1;
    long firstTokenNs = -1;
    long lastTokenNs = -1;
    /** Timestamps of every token after the first, only when ITL lists are recorded. */
    final LongArrayList tokenTimes;
    /**
     * A program turn's inter-token gaps (ns, one per token after the first, stalls of a preemption
     * included), lent by the scheduler's pool from the first token until the turn is recorded; null otherwise.
     */
    LongArrayList tokenGaps;

    Request(int id, long arrivalNs, int promptTokens, int maxOutputTokens, KvSequence kv, boolean recordTokenTimes) {
        this(id, arrivalNs, promptTokens, maxOutputTokens, kv, recordTokenTimes, null);
    }

    Request(int id, long arrivalNs, int promptTokens, int maxOutputTokens, KvSequence kv, boolean recordTokenTimes,
            ProgramHandle program) {
        this.program = program;
        this.id = id;
        this.arrivalNs = arrivalNs;
        this.promptTokens = promptTokens;
        this.maxOutputTokens = maxOutputTokens;
        this.kv = kv;
        this.tokenTimes = recordTokenTimes ? new LongArrayList() : null;
    }

    /** Prompt plus generated tokens, placeholders included: what the KV must cover before the next sample. */
    int numTokens() {
        return promptTokens + numOutputTokens + pendingOutputs;
    }

    /** Scratch state a scheduling policy keeps per request (Autellix: its queue and its quantum left). */
    private int policyLevel = -1;
    private long policyBudgetNs;
    private long policyMarkNs;

    public int policyLevel() { return policyLevel; }
    public void setPolicyLevel(int level) { this.policyLevel = level; }
    public long policyBudgetNs() { return policyBudgetNs; }
    public void setPolicyBudgetNs(long ns) { this.policyBudgetNs = ns; }
    /** A time the policy marks (Autellix: since when the call has waited). */
    public long policyMarkNs() { return policyMarkNs; }
    public void setPolicyMarkNs(long ns) { this.policyMarkNs = ns; }
    /** Whether the request is in the running list (not waiting, not finished). */
    public boolean isRunning() { return status == Status.RUNNING; }

    public int id() { return id; }
    public ProgramHandle program() { return program; }
    public int turnIndex() { return turnIndex; }
    public String toolName() { return toolName; }
    public long restoredBytes() { return restoredBytes; }
    public int restoreFromBlock() { return restoreFromBlock; }
    public int restoreBlocks() { return restoreBlocks; }

    /** Set by the KV Residency Model when it starts reading this turn's KV back from a host tier. */
    public void setRestore(int fromBlock, int blocks, long bytes) {
        this.restoreFromBlock = fromBlock;
        this.restoreBlocks = blocks;
        this.restoredBytes = bytes;
    }
    public int maxOutputTokens() { return maxOutputTokens; }
    public int adapter() { return adapter; }
    /** Tokens whose KV a (re)admission needs: prompt plus generated. */
    public int numTokensForLookup() { return numTokens(); }
    public KvSequence kv() { return kv; }
    public long arrivalNs() { return arrivalNs; }
    public int promptTokens() { return promptTokens; }
    public int outputTokens() { return numOutputTokens; }
    public Status status() { return status; }
    public int numComputedTokens() { return numComputedTokens; }
    public int preemptions() { return preemptions; }
    public int prefixHitTokens() { return prefixHitTokens; }
    /** The kind of the latest admission's prefill. */
    public PrefillKind prefillKind() { return resumePrefill ? PrefillKind.RESUME : PrefillKind.COLD; }
    public long firstScheduledNs() { return firstScheduledNs; }
    public long firstTokenNs() { return firstTokenNs; }
    public long lastTokenNs() { return lastTokenNs; }
    public LongArrayList tokenTimes() { return tokenTimes; }
    /** A program turn's inter-token gaps so far (ns; null for a plain request or before the second token). */
    public LongArrayList tokenGaps() { return tokenGaps; }
}
