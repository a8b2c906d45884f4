package io.agentservesim.sim;

import io.agentservesim.engine.EngineInstance;
import io.agentservesim.error.InputException;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.workload.RequestSpec;
import io.agentservesim.router.LoadRouter;
import io.agentservesim.router.Router;
import io.agentservesim.router.TurnToRoute;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Streams a workload into an engine: it holds only the next request, schedules an event at its
 * arrival, hands it over when the event fires and reads the one after, so memory does not grow with
 * the trace. Requests the engine could never serve are refused here, as vLLM refuses them at arrival.
 * With several engine cores (data-parallel ranks behind one front end) each request goes to the rank that
 * vLLM's front end picks ({@link LoadRouter}: the least 4 x waiting + running, ties to the lowest rank).
 */
public final class WorkloadFeeder implements EventTarget {
    private final Simulation sim;
    private final int targetId;
    private final Iterator<RequestSpec> source;
    private final EngineInstance engine;
    private final EngineInstance[] ranks;
    private final List<RankView> views;
    private final Router balancer = new LoadRouter();
    private final String sourceName;
    /** The load balancer reads no request fields. */
    private static final TurnToRoute ANY = new TurnToRoute(-1, 0, -1, null, 0);
    private RequestSpec next;
    private long submitted;

    public WorkloadFeeder(Simulation sim, Iterator<RequestSpec> source, EngineInstance engine, String sourceName) {
        this(sim, source, new EngineInstance[] {engine}, sourceName);
    }

    /** Feeds the ranks of one deployment (alike engines), balancing arrivals over them. */
    public WorkloadFeeder(Simulation sim, Iterator<RequestSpec> source, EngineInstance[] ranks, String sourceName) {
        this.sim = sim;
        this.source = source;
        this.ranks = ranks.clone();
        this.engine = ranks[0];
        this.views = new ArrayList<>();
        for (EngineInstance r : ranks) {
            views.add(new RankView(r));
        }
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
        EngineInstance to = ranks.length == 1 ? engine : ranks[balancer.route(ANY, views)];
        to.submit(spec, now);
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
