package io.agentservesim.engine;

import io.agentservesim.perf.BatchShape;
import java.util.ArrayList;

/** The requests of one engine step with their scheduled token counts; reused every step. */
public final class StepPlan {
    private final ArrayList<Request> requests = new ArrayList<>();
    private final BatchShape shape = new BatchShape();
    private int tokens;

    void clear() {
        requests.clear();
        shape.clear();
        tokens = 0;
    }

    void add(Request r) {
        requests.add(r);
        tokens += r.scheduledTokens;
    }

    int size() { return requests.size(); }
    Request get(int i) { return requests.get(i); }
    public int tokens() { return tokens; }
    public boolean isEmpty() { return requests.isEmpty(); }

    /**
     * The batch as the step-time model sees it. A request computing exactly one token on top of its
     * whole context is a decode; anything else is a prefill chunk over the tokens already computed.
     */
    BatchShape shape() {
        shape.clear();
        for (int i = 0, n = requests.size(); i < n; i++) {
            Request r = requests.get(i);
            if (r.scheduledTokens == 1 && r.numComputedTokens == r.numTokens() - 1 && r.numOutputTokens > 0) {
                shape.addDecode(r.numComputedTokens);
            } else {
                shape.addPrefill(r.scheduledTokens, r.numComputedTokens);
            }
        }
        return shape;
    }
}
