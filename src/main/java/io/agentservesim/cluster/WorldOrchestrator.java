package io.agentservesim.cluster;

import io.agentservesim.error.InputException;
import io.agentservesim.engine.ProgramHandle;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnRecord;
import io.agentservesim.results.WorldStepRecord;
import io.agentservesim.router.Router;
import io.agentservesim.router.RouterCounters;
import io.agentservesim.router.TurnToRoute;
import io.agentservesim.world.AgentContexts;
import io.agentservesim.world.InvocationHints;
import io.agentservesim.world.WorldSource;
import io.agentservesim.world.WorldStep;
import java.util.List;
import java.util.function.Consumer;

/**
 * Drives a multi-agent simulation over the cluster, in place of the Program Orchestrator: at the start of each
 * world step it publishes the step's invocation-distance hints to every instance's KV Residency Model (only a
 * plan-aware retention policy reads them), then issues the step's calls at once, each routed like a turn of the
 * agent's program (program id = agent id, turn index = the agent's call count). The world advances only when
 * every call of the step has returned (the barrier of a step-synchronous simulation: ScaleSim's SScheduler is
 * called once per step, after the agents acted), plus the world's own step time. A call that no instance could
 * ever run is rejected and counted, as the Program Orchestrator rejects a turn. At the end each agent is written
 * as one program (arrival 0, end at its last call, its calls as turns).
 */
final class WorldOrchestrator implements EventTarget, RequestListener {
    private static final int STEP_START = 0;
    /**
     * What a call "calls" after it returns, for retention policies: the agent waits for the world's next steps
     * (a gap of unknown length) and will call again, so its KV is worth keeping (never null, which means done).
     */
    static final String NEXT_STEP = "world";

    private final Simulation sim;
    private final int targetId;
    private final WorldSource source;
    private final AgentContexts contexts;
    private final List<ClusterInstance> instances;
    private final Router router;
    private final RouterCounters routerCounters = new RouterCounters();
    private final RunListener listener;
    private final Consumer<WorldStepRecord> steps;
    private final long stepOverheadNs;
    private final int maxModelLen;
    private final Agent[] agents;

    private int nextRequestId;
    private boolean started;
    private boolean done;
    private int stepIndex;
    private long stepStartNs;
    private int outstanding;
    private int stepCalls;
    private int stepRejected;
    private long stepPromptTokens;
    private long stepHitTokens;
    private long stepMaxTtftNs;
    private long rejectedCalls;
    /** The world's name when a call no instance could run stops the run; null: such calls are rejected. */
    private String refuseUnservableIn;

    /** One agent as the engine's policies see it: only its past (its finished calls). */
    private static final class Agent implements ProgramHandle {
        final int id;
        int home = -1;
        int lastContextTokens;
        int calls;
        long lastEndNs;
        long attainedServiceNs;

        Agent(int id) {
            this.id = id;
        }

        @Override public int programId() { return id; }
        @Override public long programArrivalNs() { return 0; }
        @Override public long attainedServiceNs() { return attainedServiceNs; }
        @Override public boolean kvPinned() { return false; }
    }

    WorldOrchestrator(Simulation sim, WorldSource source, AgentContexts contexts, List<ClusterInstance> instances,
                      Router router, RunListener listener, Consumer<WorldStepRecord> steps, long stepOverheadNs,
                      int maxModelLen) {
        this.sim = sim;
        this.source = source;
        this.contexts = contexts;
        this.instances = instances;
        this.router = router;
        this.listener = listener;
        this.steps = steps;
        this.stepOverheadNs = stepOverheadNs;
        this.maxModelLen = maxModelLen;
        this.agents = new Agent[source.agents()];
        for (int a = 0; a < agents.length; a++) {
            agents[a] = new Agent(a);
        }
        this.targetId = sim.register(this);
    }

    void start() {
        started = true;
        sim.schedule(sim.now(), targetId, STEP_START);
    }

    @Override
    public void onEvent(long now, int payload) {
        if (!source.hasNext()) {
            finish();
            return;
        }
        WorldStep w = source.next(contexts);
        stepIndex = w.step();
        stepStartNs = now;
        stepCalls = w.calls();
        stepRejected = 0;
        stepPromptTokens = 0;
        stepHitTokens = 0;
        stepMaxTtftNs = 0;
        InvocationHints hints = w.hints();
        for (ClusterInstance c : instances) {
            c.residency.onWorldStep(hints, now);
        }
        outstanding = w.calls();
        for (int i = 0; i < w.calls(); i++) {
            submit(w.agents()[i], w.inputTokens()[i], w.outputTokens()[i], now);
        }
        if (outstanding == 0) {
            endStep(now);
        }
    }

    private void submit(int agentId, int input, int output, long now) {
        Agent agent = agents[agentId];
        int[] ids = contexts.callIds(agentId, input, output);
        contexts.append(agentId, output);
        long tokens = (long) input + output;
        List<ClusterInstance> candidates = Placement.fitting(instances, tokens);
        if (tokens > maxModelLen || candidates.isEmpty()) {
            if (refuseUnservableIn != null) {
                throw unservable(agentId, input, output, tokens);
            }
            rejectedCalls++;
            stepRejected++;
            outstanding--;
            return;
        }
        int requestId = nextRequestId++;
        KvSequence kv = new KvSequence(ids, 0x9E3779B97F4A7C15L * (requestId + 1L));
        int turn = contexts.calls(agentId) - 1;
        TurnToRoute route = new TurnToRoute(agentId, turn, Placement.localIndex(candidates, agent.home), kv, input);
        ClusterInstance chosen = candidates.get(router.route(route, candidates));
        routerCounters.record(agent.home, chosen.id());
        stepPromptTokens += input;
        chosen.engine.submitTurn(requestId, now, input, output, kv, agent, turn, NEXT_STEP);
    }

    /** A call that could never run stops the run with an error naming the world {@code worldName}. */
    void refusingUnservable(String worldName) {
        this.refuseUnservableIn = worldName;
    }

    private InputException unservable(int agentId, int input, int output, long tokens) {
        String who = refuseUnservableIn + ": agent " + agentId + " call " + contexts.calls(agentId);
        String hint = "; set world.on_unservable: reject to count such calls as rejected";
        if (tokens > maxModelLen) {
            return new InputException(who + " needs " + tokens + " tokens (input " + input + " + output " + output
                    + ") but max_model_len is " + maxModelLen + hint);
        }
        return new InputException(who + " needs " + tokens + " tokens of KV but no instance's pool holds that many"
                + "; raise num_gpu_blocks or memory" + hint);
    }

    @Override
    public void onFinished(int instanceId, Request r) {
        Agent agent = (Agent) r.program();
        TurnRecord record = ProgramOrchestrator.colocated(agent.id, agent.lastContextTokens, instanceId, r, null, -1);
        listener.onTurn(record);
        agent.home = instanceId;
        agent.lastContextTokens = record.promptTokens() + record.outputTokens();
        agent.calls++;
        agent.lastEndNs = r.lastTokenNs();
        agent.attainedServiceNs += record.e2eNs() - record.queueingNs();
        stepHitTokens += record.hitTokens();
        stepMaxTtftNs = Math.max(stepMaxTtftNs, record.ttftNs());
        if (--outstanding == 0) {
            endStep(r.lastTokenNs());
        }
    }

    private void endStep(long now) {
        steps.accept(new WorldStepRecord(stepIndex, stepStartNs, now, stepCalls, stepRejected, stepPromptTokens,
                stepHitTokens, stepMaxTtftNs));
        sim.schedule(now + (source.hasNext() ? stepOverheadNs : 0), targetId, STEP_START);
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        for (Agent a : agents) {
            listener.onProgram(new ProgramRecord(a.id, "agent-" + a.id, 0, a.lastEndNs, a.calls, false));
        }
    }

    RouterCounters routerCounters() { return routerCounters; }
    public long rejectedCalls() { return rejectedCalls; }

    /** Whether steps remain or calls are outstanding. */
    boolean hasWork() {
        return started && !done;
    }
}
