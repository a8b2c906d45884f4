package io.agentservesim.perf;

import java.util.Arrays;

/**
 * The shape of one engine step's batch, as the step-time model needs it: for every request that
 * prefills in this step its chunk length and the tokens already in its KV cache before the chunk, and
 * for every decoding request its KV context length (tokens already cached before this step's token).
 * Mutable and reused step after step so the hot path allocates nothing.
 */
public final class BatchShape {
    private int numPrefills;
    private int[] prefillChunk = new int[8];
    private int[] prefillKv = new int[8];
    private int numDecodes;
    private int[] decodeKv = new int[64];
    private long prefillTokens;
    private int dpTokens;
    private int loraAdapters;

    public void clear() {
        numPrefills = 0;
        numDecodes = 0;
        prefillTokens = 0;
        dpTokens = 0;
        loraAdapters = 0;
    }

    /** Distinct LoRA adapters the batch's requests run with (0: base model only); set by the scheduler. */
    public void setLoraAdapters(int n) {
        this.loraAdapters = n;
    }

    /** See {@link #setLoraAdapters}. */
    public int loraAdapters() { return loraAdapters; }

    /**
     * What the data-parallel ranks of a lockstep group agreed for this step (vLLM's
     * {@code coordinate_batch_across_dp}): 0 = no agreement, the step-time model pads to its own CUDA-graph
     * capture sizes; &gt; 0 = every rank replays the CUDA graph of this many tokens; -1 = every rank runs
     * eager at its own token count (some rank's batch is larger than the largest graph).
     */
    public void setDpTokens(int dpTokens) {
        this.dpTokens = dpTokens;
    }

    /** See {@link #setDpTokens}. */
    public int dpTokens() { return dpTokens; }

    /** A prefill chunk of {@code chunk} tokens over {@code kvBefore} tokens already cached. */
    public void addPrefill(int chunk, int kvBefore) {
        if (numPrefills == prefillChunk.length) {
            prefillChunk = Arrays.copyOf(prefillChunk, numPrefills * 2);
            prefillKv = Arrays.copyOf(prefillKv, numPrefills * 2);
        }
        prefillChunk[numPrefills] = chunk;
        prefillKv[numPrefills] = kvBefore;
        numPrefills++;
        prefillTokens += chunk;
    }

    /** One decoding request whose KV holds {@code kv} tokens before this step's token. */
    public void addDecode(int kv) {
        if (numDecodes == decodeKv.length) {
            decodeKv = Arrays.copyOf(decodeKv, numDecodes * 2);
        }
        decodeKv[numDecodes++] = kv;
    }

    public int numPrefills() { return numPrefills; }
    public int prefillChunk(int i) { return prefillChunk[i]; }
    public int prefillKv(int i) { return prefillKv[i]; }
    public int numDecodes() { return numDecodes; }
    public int decodeKv(int i) { return decodeKv[i]; }

    /** Tokens processed in this step: prefill chunk tokens plus one per decode. */
    public long totalTokens() { return prefillTokens + numDecodes; }

    /** Sequences in this step (each produces or may produce one sampled token). */
    public int numSequences() { return numPrefills + numDecodes; }

    public boolean isEmpty() { return numPrefills == 0 && numDecodes == 0; }
}
