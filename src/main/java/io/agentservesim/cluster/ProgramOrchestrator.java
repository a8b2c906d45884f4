package io.agentservesim.cluster;

import io.agentservesim.config.InstanceSpec;
import io.agentservesim.error.InputException;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.program.Program;
import io.agentservesim.program.ProgramSource;
import io.agentservesim.program.ReadinessCalculator;
import io.agentservesim.program.TokenIds;
import io.agentservesim.program.Turn;
import io.agentservesim.residency.GapStats;
import io.agentservesim.residency.GapStatsSource;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnLatency;
import io.agentservesim.results.TurnRecord;
import io.agentservesim.router.Router;
import io.agentservesim.router.RouterCounters;
import io.agentservesim.router.TurnToRoute;
import io.agentservesim.tool.ToolSimulator;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import io.agentservesim.metrics.Percentiles;
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
 * In a prefill/decode-disaggregated cluster a turn is routed among the prefill instances, runs its prefill
 * and first token there, and {@link PdHandoff} carries it to a decode instance; the turn is recorded when its
 * decode ends. A flat request workload runs here as one-turn programs with no Tool Simulator; there a
 * request that could never run is bad input, as the single-engine replay always treated it, not a
 * rejection.
 */
public final class ProgramOrchestrator implements EventTarget, RequestListener, GapStatsSource {
    private static final int PROGRAM_ARRIVAL = 0;
    private static final int TURN_READY_BASE = 1;

    private final Simulation sim;
    private final int targetId;
    private final ProgramSource source;
    private final ToolSimulator tools;
    private final List<ClusterInstance> instances;
    /** Where a turn is routed first: every instance, or the prefill instances of a P/D cluster. */
    private final List<ClusterInstance> front;
    /** The decode phase of a P/D cluster; null when every instance serves whole turns. */
    private final PdHandoff pd;
    private final Router router;
    private final RouterCounters routerCounters = new RouterCounters();
    private final RunListener listener;
    private final int maxModelLen;
    /** Flat workloads: the workload's name, and an unservable request is an InputException; null: rejected. */
    private String refuseUnservableIn;
    private String unservableUnit;
    private String unservableHint;

    private final Int2ObjectOpenHashMap<ProgramState> live = new Int2ObjectOpenHashMap<>();
    /** Where programs' KV is pinned, as every program state sees it. */
    private final ProgramState.ClusterView pins;
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
                               Router router, RunListener listener, int maxModelLen) {
        this(sim, source, tools, instances, instances, null, router, listener, maxModelLen);
    }

    /** A P/D cluster: turns go to {@code prefill} first, then to {@code pd}'s decode instances. */
    ProgramOrchestrator(Simulation sim, ProgramSource source, ToolSimulator tools, List<ClusterInstance> instances,
                        List<ClusterInstance> front, PdHandoff pd, Router router, RunListener listener,
                        int maxModelLen) {
        this.front = front;
        this.pd = pd;
        this.sim = sim;
        this.source = source;
        this.tools = tools;
        this.instances = instances;
        this.pins = (inst, id) -> instances.get(inst).residency.isPinned(id);
        this.router = router;
        this.listener = listener;
        this.maxModelLen = maxModelLen;
        this.targetId = sim.register(this);
    }

    /**
     * A turn that could never run stops the run with an error naming the workload {@code workloadName}, the
     * {@code unit} (a flat workload's "request", else "program") and the turn, followed by {@code hint},
     * instead of being rejected.
     */
    public ProgramOrchestrator refusingUnservable(String workloadName, String unit, String hint) {
        this.refuseUnservableIn = workloadName;
        this.unservableUnit = unit;
        this.unservableHint = hint;
        return this;
    }

    /** Schedules the first program's arrival. */
    public void start() {
        advanceProgram();
    }

    /** At most this many programs live; 0 = open loop. */
    private int closedLoopAgents;
    /** Closed loop: the next program waits for a live one to end. */
    private boolean waitingForAgent;

    /**
     * A closed loop of {@code agents} agents: at most that many programs live, the next one starting when one ends
     * (its arrival time becomes that moment); 0 = programs arrive at their own times. Before {@link #start}.
     */
    public void setClosedLoop(int agents) {
        this.closedLoopAgents = agents;
    }

    private void advanceProgram() {
        if (!source.hasNext()) {
            nextProgram = null;
            return;
        }
        nextProgram = source.next();
        if (closedLoopAgents > 0) {
            if (live.size() >= closedLoopAgents) {
                waitingForAgent = true;
                return;
            }
            sim.schedule(sim.now(), targetId, PROGRAM_ARRIVAL);
            return;
        }
        sim.schedule(Math.max(nextProgram.arrivalNs(), sim.now()), targetId, PROGRAM_ARRIVAL);
    }

    /** A program ended (done or rejected): in a closed loop its agent takes the next one now. */
    private void programEnded(long now) {
        if (waitingForAgent) {
            waitingForAgent = false;
            sim.schedule(now, targetId, PROGRAM_ARRIVAL);
        }
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
        Program p = tools == null ? raw
                : tools.apply(closedLoopAgents > 0 ? new Program(raw.id(), raw.name(), now, raw.turns()) : raw);
        ProgramState st = new ProgramState(nextDenseId++, p, pins);
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
        long tokens = (long) t.inputTokens() + t.outputTokens();
        List<ClusterInstance> candidates = Placement.fitting(front, pd == null ? tokens : t.inputTokens() + 1L);
        if (tokens > maxModelLen || candidates.isEmpty() || (pd != null && !pd.fitsAnyDecode(tokens))) {
            if (refuseUnservableIn != null) {
                throw unservable(st, turnIndex, t, tokens);
            }
            reject(st, now);
            return;
        }
        int requestId = nextRequestId++;
        KvSequence kv = sequence(t, salt(requestId), null);
        kv.carryHashesFrom(st.lastKv);
        st.lastKv = kv;
        int home = pd == null ? st.homeInstance : st.prefillHome;
        TurnToRoute route = new TurnToRoute(st.denseId, turnIndex, Placement.localIndex(candidates, home), kv,
                t.inputTokens());
        ClusterInstance chosen = candidates.get(router.route(route, candidates));
        routerCounters.record(home, chosen.id());
        int outputs = pd == null ? t.outputTokens() : 1;
        chosen.engine.submitTurn(requestId, now, t.inputTokens(), outputs, kv, st, turnIndex, t.toolName());
    }

    /** The error of a turn that no instance could ever serve (longer than max_model_len or the KV pool). */
    private InputException unservable(ProgramState st, int turnIndex, Turn t, long tokens) {
        String who = refuseUnservableIn + ": " + unservableUnit + " "
                + (unservableUnit.equals("request") ? String.valueOf(st.program.id()) : st.program.name())
                + (st.program.turnCount() > 1 || !unservableUnit.equals("request") ? " turn " + turnIndex : "");
        if (tokens > maxModelLen) {
            return new InputException(who + " needs " + tokens + " tokens (input " + t.inputTokens() + " + output "
                    + t.outputTokens() + ") but max_model_len is " + maxModelLen + unservableHint);
        }
        ClusterInstance c = front.get(0);
        long blockSize = c.engine.config().blockSize();
        return new InputException(who + " needs " + (tokens + blockSize - 1) / blockSize
                + " KV blocks but the pool holds only " + c.engine.pool().numUsableBlocks()
                + "; raise num_gpu_blocks or memory, or shorten the " + unservableUnit + unservableHint);
    }

    /** Salt of a request's blocks whose token ids are unknown; the decode phase of a turn reuses its prefill's. */
    private static long salt(int requestId) {
        return 0x9E3779B97F4A7C15L * (requestId + 1L);
    }

    private void reject(ProgramState st, long now) {
        rejectedTurns++;
        live.remove(st.denseId);
        listener.onProgram(new ProgramRecord(st.denseId, st.program.name(), st.program.arrivalNs(), now,
                st.turnsDone, true));
        programEnded(now);
    }

    /**
     * The KV sequence of a turn: its prompt ids followed by the output's ids when the trace has both, so
     * the next turn hits them; a view of the program's shared id array where the output follows the
     * prompt there (no copy per turn).
     */
    static KvSequence sequence(Turn t, long salt, KvSequence carryFrom) {
        int expected = t.inputTokens() + t.outputTokens();
        TokenIds prompt = t.promptTokenIds();
        if (prompt == null) {
            return new KvSequence(null, 0, salt, expected);
        }
        TokenIds ids = t.outputTokenIds() == null ? prompt : prompt.followedBy(t.outputTokenIds());
        KvSequence kv = new KvSequence(ids.leadingArray(), ids.length(), salt, expected);
        kv.carryHashesFrom(carryFrom);
        return kv;
    }

    @Override
    public void onFinished(int instanceId, Request r) {
        ProgramState st = (ProgramState) r.program();
        long now = r.lastTokenNs();
        int turnIndex = r.turnIndex();
        Turn t = st.program.turn(turnIndex);
        TurnRecord record;
        if (pd == null) {
            record = colocated(st, instanceId, r);
        } else if (instances.get(instanceId).role() == InstanceSpec.Role.PREFILL) {
            if (t.outputTokens() > 1) {
                pd.handOff(st, instanceId, r, turnIndex, t.toolName(), t.outputTokens(), sequence(t, salt(r.id()), r.kv()),
                        nextRequestId++, now);
                return;
            }
            record = colocated(st, instanceId, r); // one output token: the prefill instance did it all
        } else {
            record = disaggregated(st, instanceId, r, pd.finish(r));
        }
        recomputedTokens += record.recomputedTokens();
        listener.onTurn(record);

        st.attainedServiceNs += record.e2eNs() - record.prefillQueueNs();
        st.homeInstance = instanceId;
        st.prefillHome = record.prefillInstance();
        st.lastContextTokens = record.promptTokens() + record.outputTokens();
        st.completionNs[turnIndex] = now;
        st.turnsDone++;
        if (st.done()) {
            live.remove(st.denseId);
            listener.onProgram(new ProgramRecord(st.denseId, st.program.name(), st.program.arrivalNs(), now,
                    st.turnsDone, false));
            programEnded(now);
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

    private TurnRecord colocated(ProgramState st, int instanceId, Request r) {
        Turn t = st.program.turn(r.turnIndex());
        return colocated(st.denseId, st.lastContextTokens, instanceId, r, t.toolName(), toolGapNs(st.program, t.index()));
    }

    /**
     * A turn served whole by one instance: TTFT is its queueing and its prefill. {@code lastContextTokens} is the
     * context the program's previous turn left (what this turn could have reused); {@code toolName} (may be
     * null) and {@code toolGapNs} (-1: none) the tool call that follows it.
     */
    static TurnRecord colocated(int programId, int lastContextTokens, int instanceId, Request r, String toolName,
                                long toolGapNs) {
        int hit = r.prefixHitTokens();
        int recomputed = Math.max(0, Math.min(lastContextTokens, r.promptTokens()) - hit);
        long ttft = r.firstTokenNs() - r.arrivalNs();
        long queueing = r.firstScheduledNs() - r.arrivalNs();
        int out = r.outputTokens();
        long tpot = TurnLatency.roundedTpotNs(r.firstTokenNs(), r.lastTokenNs(), out);
        LongArrayList gaps = sorted(r.tokenGaps());
        return new TurnRecord(programId, r.turnIndex(), instanceId, r.arrivalNs(), r.promptTokens(), out, ttft,
                tpot, TurnLatency.hasTpot(out), r.lastTokenNs() - r.arrivalNs(), queueing, hit, recomputed,
                r.restoredBytes(), r.preemptions(), instanceId, queueing, ttft - queueing, 0, 0, 0,
                itl(gaps, 50), itl(gaps, 95), maxGap(gaps), toolName, toolGapNs, r.tokenTimes());
    }

    /** A percentile of a turn's inter-token gaps, sorted by {@link #sorted}; 0 when there are none. */
    private static long itl(LongArrayList sortedGaps, double p) {
        return sortedGaps == null ? 0 : Percentiles.ofSorted(sortedGaps.elements(), sortedGaps.size(), p);
    }

    /** The largest of a turn's sorted gaps; 0 when there are none. */
    private static long maxGap(LongArrayList sortedGaps) {
        return sortedGaps == null || sortedGaps.isEmpty() ? 0 : sortedGaps.getLong(sortedGaps.size() - 1);
    }

    /**
     * The gaps with their p50, p95 and maximum in the places a sort would give them, as {@link #itl} and
     * {@link #maxGap} read them (rearranged in place: the scheduler clears the list once the turn is recorded).
     */
    private static LongArrayList sorted(LongArrayList gaps) {
        if (gaps != null) {
            Percentiles.selectFor(gaps, 50, 95);
        }
        return gaps;
    }

    /**
     * A turn whose decode ran on {@code instanceId} after its prefill ran elsewhere: TTFT = prefill queueing +
     * prefill + decode queueing + KV transfer, ending when the decode instance holds the prompt's KV; TPOT
     * counts the tokens after the first from there.
     */
    private TurnRecord disaggregated(ProgramState st, int instanceId, Request d, PdHandoff.PrefillPhase p) {
        int prompt = d.promptTokens() - 1;
        int out = d.outputTokens() + 1;
        int recomputed = Math.max(0, Math.min(st.lastContextTokens, prompt) - p.hitTokens());
        long prefillQueue = p.firstScheduledNs() - p.arrivalNs();
        long prefill = p.firstTokenNs() - p.firstScheduledNs();
        long decodeQueue = d.firstScheduledNs() - p.firstTokenNs();
        long transfer = p.kv().started() ? p.kv().readyNs() - d.firstScheduledNs() : 0;
        long ttft = prefillQueue + prefill + decodeQueue + transfer;
        long tpot = TurnLatency.roundedTpotNs(p.arrivalNs() + ttft, d.lastTokenNs(), out);
        // The first gap runs from the KV's arrival on the decode instance (where TTFT ends) to its first token.
        long firstGap = d.firstTokenNs() - p.arrivalNs() - ttft;
        LongArrayList gaps = d.tokenGaps();
        if (gaps != null) {
            gaps.add(firstGap);
            sorted(gaps);
        }
        Turn t = st.program.turn(d.turnIndex());
        return new TurnRecord(st.denseId, d.turnIndex(), instanceId, p.arrivalNs(), prompt, out, ttft, tpot, true,
                d.lastTokenNs() - p.arrivalNs(), prefillQueue + decodeQueue, p.hitTokens(), recomputed,
                p.restoredBytes(), p.preemptions() + d.preemptions(), p.instance(), prefillQueue, prefill, transfer,
                decodeQueue, p.kv().bytes(), gaps == null ? firstGap : itl(gaps, 50), gaps == null ? firstGap : itl(gaps, 95),
                gaps == null ? firstGap : maxGap(gaps), t.toolName(), toolGapNs(st.program, t.index()), null);
    }

    /** The delay on the edge to the turn's lowest-index child (its tool call's duration), -1 without a child. */
    private static long toolGapNs(Program p, int turnIndex) {
        for (int i = 0, n = p.turnCount(); i < n; i++) {
            Turn child = p.turn(i);
            for (int k = 0, m = child.parentCount(); k < m; k++) {
                if (child.parent(k) == turnIndex) {
                    return child.parentDelayNs(k);
                }
            }
        }
        return -1;
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

    /** Whether programs are live or still to arrive. */
    public boolean hasWork() {
        return !live.isEmpty() || nextProgram != null;
    }
}
