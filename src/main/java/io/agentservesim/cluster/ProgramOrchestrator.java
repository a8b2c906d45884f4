package io.agentservesim.cluster;

import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.program.Program;
import io.agentservesim.program.ProgramSource;
import io.agentservesim.program.ReadinessCalculator;
import io.agentservesim.program.Turn;
import io.agentservesim.residency.GapStats;
import io.agentservesim.residency.GapStatsSource;
import io.agentservesim.router.Router;
import io.agentservesim.router.RouterCounters;
import io.agentservesim.router.TurnToRoute;
import io.agentservesim.tool.ToolSimulator;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Program Orchestrator: streams programs in, lets the Tool Simulator decide each program's gaps,
 * makes a turn ready when all its parents are done and their delays have elapsed (max over parents of
 * completion + delay), asks the router for an instance and submits the turn there. It owns all program
 * state (turns done, attained service, observed gaps per program and per tool, home instance) and gives
 * policies only the past. A turn that could never run (longer than max_model_len or than an instance's
 * whole KV pool) is rejected at arrival, as vLLM rejects it, and its program ends there, counted.
 */
public final class ProgramOrchestrator implements EventTarget, RequestListener, GapStatsSource {
    private static final int PROGRAM_ARRIVAL = 0;
    private static final int TURN_READY_BASE = 1;

    private final Simulation sim;
    private final int targetId;
    private final ProgramSource source;
    private final ToolSimulator tools;
    private final List<ClusterInstance> instances;
    private final Router router;
    private final RouterCounters routerCounters = new RouterCounters();
    private final ClusterListener listener;
    private final int maxModelLen;

    private final Int2ObjectOpenHashMap<ProgramState> live = new Int2ObjectOpenHashMap<>();
    private final Map<String, GapStats> toolGaps = new HashMap<>();
    private final GapStats noTool = new GapStats();
    private final List<ProgramState> readyState = new ArrayList<>();
    private final IntArrayList readyTurn = new IntArrayList();
    private final IntArrayList freeReadySlots = new IntArrayList();

    private Program nextProgram;
    private int nextDenseId;
    private int nextRequestId;
    private long rejectedTurns;
    private long recomputedTokens;

    public ProgramOrchestrator(Simulation sim, ProgramSource source, ToolSimulator tools, List<ClusterInstance> instances,
                               Router router, ClusterListener listener, int maxModelLen) {
        this.sim = sim;
        this.source = source;
        this.tools = tools;
        this.instances = instances;
        this.router = router;
        this.listener = listener;
        this.maxModelLen = maxModelLen;
        this.targetId = sim.register(this);
    }

    /** Schedules the first program's arrival. */
    public void start() {
        advanceProgram();
    }

    private void advanceProgram() {
        if (!source.hasNext()) {
            nextProgram = null;
            return;
        }
        nextProgram = source.next();
        sim.schedule(Math.max(nextProgram.arrivalNs(), sim.now()), targetId, PROGRAM_ARRIVAL);
    }

    @Override
    public void onEvent(long now, int payload) {
        if (payload == PROGRAM_ARRIVAL) {
            arrive(nextProgram, now);
            advanceProgram();
            return;
        }
        int slot = payload - TURN_READY_BASE;
        ProgramState st = readyState.get(slot);
        int turn = readyTurn.getInt(slot);
        readyState.set(slot, null);
        freeReadySlots.add(slot);
        observeGap(st, st.program.turn(turn), now);
        submit(st, turn, now);
    }

    private void arrive(Program raw, long now) {
        Program p = tools.apply(raw);
        ProgramState st = new ProgramState(nextDenseId++, p, (inst, id) -> instances.get(inst).residency.isPinned(id));
        live.put(st.denseId, st);
        for (Turn t : p.turns()) {
            if (t.isRoot()) {
                submit(st, t.index(), now);
                if (!live.containsKey(st.denseId)) {
                    return; // rejected
                }
            }
        }
    }

    private void submit(ProgramState st, int turnIndex, long now) {
        Turn t = st.program.turn(turnIndex);
        if ((long) t.inputTokens() + t.outputTokens() > maxModelLen || !fitsAnyPool(t)) {
            reject(st, now);
            return;
        }
        KvSequence kv = new KvSequence(tokenIds(t), 0x9E3779B97F4A7C15L * (nextRequestId + 1L));
        TurnToRoute route = new TurnToRoute(st.denseId, turnIndex, st.homeInstance, kv, t.inputTokens());
        int chosen = router.route(route, instances);
        routerCounters.record(st.homeInstance, chosen);
        instances.get(chosen).engine.submitTurn(nextRequestId++, now, t.inputTokens(), t.outputTokens(), kv, st,
                turnIndex, t.toolName());
    }

    private boolean fitsAnyPool(Turn t) {
        long tokens = (long) t.inputTokens() + t.outputTokens();
        for (ClusterInstance inst : instances) {
            long blocks = (tokens + inst.engine.config().blockSize() - 1) / inst.engine.config().blockSize();
            if (blocks <= inst.engine.pool().numUsableBlocks()) {
                return true;
            }
        }
        return false;
    }

    private void reject(ProgramState st, long now) {
        rejectedTurns++;
        live.remove(st.denseId);
        listener.onProgram(new ProgramRecord(st.denseId, st.program.name(), st.program.arrivalNs(), now,
                st.turnsDone, true));
    }

    /** Prompt ids followed by the output's ids when the trace has both, so the next turn hits them. */
    private static int[] tokenIds(Turn t) {
        if (t.promptTokenIds() == null) {
            return null;
        }
        if (t.outputTokenIds() == null) {
            return t.promptTokenIds().toArray();
        }
        int[] ids = new int[t.inputTokens() + t.outputTokens()];
        t.promptTokenIds().copyTo(ids, 0);
        t.outputTokenIds().copyTo(ids, t.inputTokens());
        return ids;
    }

    @Override
    public void onFinished(int instanceId, Request r) {
        ProgramState st = (ProgramState) r.program();
        long now = r.lastTokenNs();
        int turnIndex = r.turnIndex();
        Turn t = st.program.turn(turnIndex);
        int reusable = Math.min(st.lastContextTokens, r.promptTokens());
        int hit = r.prefixHitTokens();
        int recomputed = Math.max(0, reusable - hit);
        recomputedTokens += recomputed;
        long ttft = r.firstTokenNs() - r.arrivalNs();
        int out = r.outputTokens();
        long tpot = out > 1 ? Math.round((double) (r.lastTokenNs() - r.firstTokenNs()) / (out - 1)) : 0;
        listener.onTurn(new TurnRecord(st.denseId, turnIndex, instanceId, r.arrivalNs(), r.promptTokens(), out, ttft,
                tpot, out > 1, now - r.arrivalNs(), r.firstScheduledNs() - r.arrivalNs(), hit, recomputed,
                r.restoredBytes(), r.preemptions()));

        st.completionNs[turnIndex] = now;
        st.turnsDone++;
        st.attainedServiceNs += now - r.firstScheduledNs();
        st.homeInstance = instanceId;
        st.lastContextTokens = r.promptTokens() + out;
        if (st.done()) {
            live.remove(st.denseId);
            listener.onProgram(new ProgramRecord(st.denseId, st.program.name(), st.program.arrivalNs(), now,
                    st.turnsDone, false));
            return;
        }
        for (Turn child : st.program.turns()) {
            if (!isChildOf(child, turnIndex)) {
                continue;
            }
            if (--st.pendingParents[child.index()] == 0) {
                long ready = ReadinessCalculator.readyAtNs(st.program, child, st.completionNs);
                scheduleReady(st, child.index(), Math.max(ready, now));
            }
        }
    }

    private static boolean isChildOf(Turn child, int parent) {
        for (int k = 0, n = child.parentCount(); k < n; k++) {
            if (child.parent(k) == parent) {
                return true;
            }
        }
        return false;
    }

    private void scheduleReady(ProgramState st, int turn, long at) {
        int slot;
        if (freeReadySlots.isEmpty()) {
            slot = readyState.size();
            readyState.add(st);
            readyTurn.add(turn);
        } else {
            slot = freeReadySlots.popInt();
            readyState.set(slot, st);
            readyTurn.set(slot, turn);
        }
        sim.schedule(at, targetId, TURN_READY_BASE + slot);
    }

    /** The gap after the turn's first parent, now over: seen by the tool's and the program's statistics. */
    private void observeGap(ProgramState st, Turn t, long now) {
        if (t.parentCount() == 0) {
            return;
        }
        int parent = t.parent(0);
        long gap = now - st.completionNs[parent];
        String tool = st.program.turn(parent).toolName();
        toolGaps.computeIfAbsent(tool == null ? "" : tool, k -> new GapStats()).record(gap);
        st.gaps.record(gap);
    }

    @Override
    public GapStats toolGaps(String toolName) {
        GapStats g = toolGaps.get(toolName == null ? "" : toolName);
        return g == null ? noTool : g;
    }

    @Override
    public GapStats programGaps(int programId) {
        ProgramState st = live.get(programId);
        return st == null ? noTool : st.gaps;
    }

    public RouterCounters routerCounters() { return routerCounters; }
    public long rejectedTurns() { return rejectedTurns; }
    public long recomputedTokens() { return recomputedTokens; }
    public int livePrograms() { return live.size(); }
}
