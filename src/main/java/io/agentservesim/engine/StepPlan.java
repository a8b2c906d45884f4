package io.agentservesim.engine;

import io.agentservesim.perf.BatchShape;
import java.util.Arrays;

/**
 * One scheduled engine step: for each request its token count, whether the step samples a token for
 * it (its KV then covers all its tokens), and its preemption count at scheduling time (an output that
 * arrives after the request was preempted is dropped, as vLLM drops it). Also the batch shape for the
 * step-time model, built at scheduling time. Reused step after step.
 */
public final class StepPlan {
    private Request[] requests = new Request[64];
    private int[] tokens = new int[64];
    private int[] epoch = new int[64];
    private boolean[] samples = new boolean[64];
    private int[] computedBefore = new int[64];
    private int size;
    private int totalTokens;
    private int coldPrefillTokens;
    private int resumePrefillTokens;
    private int decodes;
    private final BatchShape shape = new BatchShape();

    void clear() {
        Arrays.fill(requests, 0, size, null);
        size = 0;
        totalTokens = 0;
        coldPrefillTokens = 0;
        resumePrefillTokens = 0;
        decodes = 0;
        shape.clear();
    }

    /**
     * Adds {@code r} computing {@code n} tokens on top of {@code computedBefore}. A request computing
     * exactly its one missing token after a generated token is a decode; anything else is a prefill chunk.
     */
    void add(Request r, int n, int computedBefore, boolean sample) {
        if (size == requests.length) {
            int cap = size * 2;
            requests = Arrays.copyOf(requests, cap);
            tokens = Arrays.copyOf(tokens, cap);
            epoch = Arrays.copyOf(epoch, cap);
            samples = Arrays.copyOf(samples, cap);
            this.computedBefore = Arrays.copyOf(this.computedBefore, cap);
        }
        requests[size] = r;
        tokens[size] = n;
        epoch[size] = r.preemptions;
        samples[size] = sample;
        this.computedBefore[size] = computedBefore;
        size++;
        totalTokens += n;
        addToShape(r, n, computedBefore, sample);
    }

    private void addToShape(Request r, int n, int computedBefore, boolean sample) {
        if (n == 1 && sample && computedBefore >= r.promptTokens) {
            shape.addDecode(computedBefore);
            decodes++;
        } else {
            shape.addPrefill(n, computedBefore);
            if (r.resumePrefill) {
                resumePrefillTokens += n;
            } else {
                coldPrefillTokens += n;
            }
        }
    }

    /**
     * Takes {@code r} back out of this step (a priority preemption of a request already scheduled);
     * returns the tokens it had, or 0 when it was not in the step.
     */
    int remove(Request r) {
        int at = -1;
        for (int i = 0; i < size; i++) {
            if (requests[i] == r) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            return 0;
        }
        int n = tokens[at];
        for (int i = at; i < size - 1; i++) {
            requests[i] = requests[i + 1];
            tokens[i] = tokens[i + 1];
            epoch[i] = epoch[i + 1];
            samples[i] = samples[i + 1];
            computedBefore[i] = computedBefore[i + 1];
        }
        requests[--size] = null;
        totalTokens -= n;
        shape.clear();
        coldPrefillTokens = 0;
        resumePrefillTokens = 0;
        decodes = 0;
        for (int i = 0; i < size; i++) {
            addToShape(requests[i], tokens[i], computedBefore[i], samples[i]);
        }
        return n;
    }

    int size() { return size; }
    Request request(int i) { return requests[i]; }
    int tokens(int i) { return tokens[i]; }
    int epoch(int i) { return epoch[i]; }
    int computedBefore(int i) { return computedBefore[i]; }
    boolean samples(int i) { return samples[i]; }
    public int totalTokens() { return totalTokens; }
    /** Prefill tokens (chunks, recomputation included) of cold-classified requests in this step. */
    public int coldPrefillTokens() { return coldPrefillTokens; }
    /** Prefill tokens of resume-classified requests in this step. */
    public int resumePrefillTokens() { return resumePrefillTokens; }
    /** Decoding requests (one token each) in this step. */
    public int decodes() { return decodes; }
    public boolean isEmpty() { return size == 0; }
    public BatchShape shape() { return shape; }

    /** Whether {@code r} is scheduled in this step (linear scan; steps hold at most max_num_seqs). */
    boolean contains(Request r) {
        for (int i = 0; i < size; i++) {
            if (requests[i] == r) {
                return true;
            }
        }
        return false;
    }
}
