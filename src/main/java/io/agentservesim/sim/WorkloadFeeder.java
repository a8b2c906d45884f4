package io.agentservesim.sim;

import io.agentservesim.engine.EngineInstance;
import io.agentservesim.error.InputException;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.workload.RequestSpec;
import java.util.Iterator;

/**
 * Streams a workload into an engine: it holds only the next request, schedules an event at its
 * arrival, hands it over when the event fires and reads the one after, so memory does not grow with
 * the trace. Requests the engine could never serve are refused here, as vLLM refuses them at arrival.
 */
public final class WorkloadFeeder implements EventTarget {
    private final Simulation sim;
    private final int targetId;
    private final Iterator<RequestSpec> source;
    private final EngineInstance engine;
    private final String sourceName;
    private RequestSpec next;
    private long submitted;

    public WorkloadFeeder(Simulation sim, Iterator<RequestSpec> source, EngineInstance engine, String sourceName) {
        this.sim = sim;
        this.source = source;
        this.engine = engine;
        this.sourceName = sourceName;
        this.targetId = sim.register(this);
    }

    /** Schedules the first arrival. */
    public void start() {
        advance();
    }

    public long submitted() {
        return submitted;
    }

    @Override
    public void onEvent(long now, int payload) {
        RequestSpec spec = next;
        engine.submit(spec, now);
        submitted++;
        advance();
    }

    private void advance() {
        if (!source.hasNext()) {
            next = null;
            return;
        }
        next = source.next();
        check(next);
        sim.schedule(Math.max(next.arrivalNs(), sim.now()), targetId, 0);
    }

    private void check(RequestSpec r) {
        int maxModelLen = engine.config().maxModelLen();
        long total = (long) r.inputTokens() + r.outputTokens();
        if (total > maxModelLen) {
            throw new InputException(sourceName + ": request " + r.id() + " needs " + total
                    + " tokens (input " + r.inputTokens() + " + output " + r.outputTokens()
                    + ") but max_model_len is " + maxModelLen);
        }
        long blocks = (total + engine.config().blockSize() - 1) / engine.config().blockSize();
        if (blocks > engine.pool().numUsableBlocks()) {
            throw new InputException(sourceName + ": request " + r.id() + " needs " + blocks
                    + " KV blocks but the pool holds only " + engine.pool().numUsableBlocks()
                    + "; raise num_gpu_blocks or memory, or shorten the request");
        }
    }
}
