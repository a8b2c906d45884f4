package io.agentservesim.cluster;

import io.agentservesim.config.AgentSetup;
import io.agentservesim.config.UnservableTurns;
import io.agentservesim.config.InstanceSpec;
import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.engine.LockstepGroup;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.power.EnergyMeter;
import io.agentservesim.power.EnergyReport;
import io.agentservesim.power.PowerCsv;
import io.agentservesim.power.PowerSampler;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.program.ProgramSource;
import io.agentservesim.residency.GapStatsSource;
import io.agentservesim.lora.LoraSpec;
import io.agentservesim.lora.LoraWiring;
import io.agentservesim.world.AgentContexts;
import io.agentservesim.world.WorldSource;
import java.util.function.BooleanSupplier;
import io.agentservesim.residency.DecisionCsv;
import io.agentservesim.residency.DecisionLog;
import io.agentservesim.residency.HostTier;
import io.agentservesim.residency.KvResidency;
import io.agentservesim.residency.Link;
import io.agentservesim.residency.RetentionPolicies;
import io.agentservesim.report.ProgramsCsv;
import io.agentservesim.report.SimCsv;
import io.agentservesim.report.TurnsCsv;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunCounters;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.RunProgress;
import io.agentservesim.results.RunSummary;
import io.agentservesim.results.TurnRecord;
import io.agentservesim.results.WorldSummary;
import io.agentservesim.router.Router;
import io.agentservesim.router.Routers;
import io.agentservesim.sched.SchedulingPolicies;
import io.agentservesim.sched.SchedulingPolicy;
import io.agentservesim.sched.AgentServePolicy;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.partition.SmShareStepTimeModel;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.tool.ToolSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs one simulation, the one run path: programs from a trace or generator (a flat request workload as
 * one-turn programs), the orchestrator, a router and the cluster's instances (identical, or per group with
 * their own GPU, engine and prefill/decode role), each an engine with its KV Residency Model, all on one
 * kernel. A data-parallel deployment contributes one instance per rank (the router picks the rank, as vLLM's
 * external DP load balancing lets a router do; a flat workload's ranks are balanced as vLLM's front end
 * does); an MoE model's ranks step in lockstep. Results stream to a {@link RunSummary} and, when a folder
 * is given, to the table renderers: turns.csv, programs.csv and timeseries.csv for every run; requests.csv
 * (LLMServingSim's sim.csv) and power.csv for a flat workload, as its users have them.
 */
public final class AgentSimulation {
    private static final long GIB = 1L << 30;

    /** Events between two looks of a progress display at the clock: a counter check per event, not a clock read. */
    private static final int PROGRESS_EVERY_EVENTS = 4096;

    private final ResolvedSimulation sim;
    private boolean perToken;
    private RunProgress progress;

    public AgentSimulation(ResolvedSimulation sim) {
        this.sim = sim;
    }

    /**
     * Writes every token's latency into requests.csv's ITL column (LLMServingSim's list); off by default,
     * since it is most of the file (2.6 GB per million requests). The ITL statistics of summary.json are kept
     * either way.
     */
    public AgentSimulation perTokenLatencies(boolean on) {
        this.perToken = on;
        return this;
    }

    /** Shows the run's progress to {@code p} (may be null): every result, and the clock now and then. */
    public AgentSimulation progress(RunProgress p) {
        this.progress = p;
        return this;
    }

    /** How many programs (flat: requests) the run will serve, when its source knows it up front; else -1. */
    public long expectedPrograms() {
        AgentSetup a = sim.agent();
        if (a.isWorld()) {
            return -1;
        }
        try (ProgramSource s = a.programs().get()) {
            return s.expectedPrograms();
        }
    }

    /** Runs to the end; {@code outDir} (may be null) receives the tables. */
    public RunSummary run(Path outDir) {
        return run(outDir, null);
    }

    /** Runs to the end; {@code outDir} (may be null) receives the tables, {@code extra} (may be null) every result. */
    public RunSummary run(Path outDir, RunListener extra) {
        long wallStart = System.nanoTime();
        AgentSetup a = sim.agent();
        boolean flat = !sim.isAgentRun();
        Simulation kernel = new Simulation();
        RunSummary summary = new RunSummary(a.slo());
        List<ClusterInstance> instances = new ArrayList<>();
        ToolSimulator tools = flat ? null : new ToolSimulator(a.tools());
        Router router = Routers.create(a.router(), a.routerOptions());
        Fanout fanout = new Fanout(summary);
        // Each instance draws the power of its own GPUs running its own model (heterogeneous groups); a flat
        // run also keeps per-second bins for power.csv.
        EnergyMeter meter = sim.power().enabled()
                ? new EnergyMeter(sim.instancePower(), flat && outDir != null ? POWER_BIN_NS : 0) : null;
        boolean tokenTimes = sim.recordItl() && (outDir != null || extra != null);
        try (ProgramSource source = a.isWorld() ? null : a.programs().get();
             WorldSource world = a.isWorld() ? a.world().source().get() : null;
             WorldSummary worldSummary = world == null ? null
                     : new WorldSummary(world.agents(), outDir == null ? null : outDir.resolve("steps.csv"));
             TurnsCsv turnsCsv = outDir == null ? null : new TurnsCsv(outDir.resolve("turns.csv"), a.slo());
             ProgramsCsv programsCsv = outDir == null ? null : new ProgramsCsv(outDir.resolve("programs.csv"));
             SimCsv simCsv = outDir == null || !flat ? null : new SimCsv(outDir.resolve("requests.csv"), sim.model().name(),
                     perToken);
             DecisionCsv decisionsCsv = outDir == null || !a.decisionsCsv() ? null
                     : new DecisionCsv(outDir.resolve("decisions.csv"))) {
            fanout.add(simCsv);
            fanout.add(turnsCsv);
            fanout.add(programsCsv);
            fanout.add(extra);
            fanout.add(progress);
            if (progress != null) {
                kernel.setTicker(progress::tick, PROGRESS_EVERY_EVENTS);
            }
            ProgramOrchestrator[] orchestrator = new ProgramOrchestrator[1];
            RequestListener[] finished = new RequestListener[1];
            GapStatsSource[] gaps = new GapStatsSource[1];
            int maxModelLen = Integer.MAX_VALUE;
            for (int i = 0; i < a.instances().size(); i++) {
                final int id = i;
                InstanceSpec spec = a.instances().get(i);
                long bytesPerBlock = spec.model().kvBytesPerBlock(spec.engine().blockSize());
                SchedulingPolicy policy = SchedulingPolicies.create(a.scheduling(), a.schedulingSettings());
                LoraSpec lora = a.isWorld() ? a.world().lora() : null;
                EngineInstance engine = new EngineInstance(i, kernel, spec.engine(), LoraWiring.stepTime(lora, spec),
                        (inst, r) -> finished[0].onFinished(inst, r), tokenTimes, policy);
                if (policy.streams() != null) {
                    engine.useStreams(policy.streams(), smShares(spec, policy));
                }
                if (meter != null) {
                    engine.setStepObserver(meter);
                }
                HostTier host = a.hostTier() == null ? null : tier("dram-" + id, a.hostTier(), bytesPerBlock);
                if (host != null && a.cxlTier() != null) {
                    host.demoteTo(tier("cxl-" + id, a.cxlTier(), bytesPerBlock));
                }
                KvResidency residency = new KvResidency(kernel, engine.pool(),
                        RetentionPolicies.create(a.retention(), a.retentionOptions()), host, bytesPerBlock,
                        spec.stepTime(), spec.engine().maxNumBatchedTokens(), new LazyGaps(gaps),
                        new DecisionLog(id, decisionsCsv));
                LoraWiring.attach(lora, spec, world, engine, residency, host, id);
                Link kvLink = spec.role() == InstanceSpec.Role.DECODE
                        ? new Link("pd-" + id, a.pdLink().bandwidthGbPerS() * 1e9, Math.round(a.pdLink().latencyUs() * 1e3))
                        : null;
                instances.add(new ClusterInstance(engine, residency, spec, kvLink));
                maxModelLen = Math.min(maxModelLen, spec.engine().maxModelLen());
            }
            lockstep(kernel, instances);
            WorldOrchestrator worldDriver = null;
            if (world != null) {
                AgentContexts contexts = new AgentContexts(world, a.world().vocabSize(), a.world().seed(),
                        a.world().lora() != null && a.world().lora().changesKv());
                worldDriver = new WorldOrchestrator(kernel, world, contexts, instances, router, fanout, worldSummary,
                        a.world().stepOverheadNs(), maxModelLen);
                if (a.world().unservable() == UnservableTurns.ERROR) {
                    worldDriver.refusingUnservable(a.world().name());
                }
                finished[0] = worldDriver;
                gaps[0] = NO_GAPS;
                summary.setWorld(worldSummary);
                worldDriver.start();
            } else {
                if (a.disaggregated()) {
                    PdHandoff pd = new PdHandoff(withRole(instances, InstanceSpec.Role.DECODE),
                            Routers.create(a.decodeRouter(), a.routerOptions()));
                    orchestrator[0] = new ProgramOrchestrator(kernel, source, tools, instances,
                            withRole(instances, InstanceSpec.Role.PREFILL), pd, router, fanout, maxModelLen);
                } else {
                    orchestrator[0] = new ProgramOrchestrator(kernel, source, tools, instances, router, fanout, maxModelLen);
                }
                finished[0] = orchestrator[0];
                gaps[0] = orchestrator[0];
                orchestrator[0].setClosedLoop(a.closedLoopAgents());
                if (flat) {
                    orchestrator[0].refusingUnservable(sim.workloadName(), "request", "");
                } else if (a.unservable() == UnservableTurns.ERROR) {
                    orchestrator[0].refusingUnservable(a.programsName(), "program",
                            "; set programs.on_unservable: reject to count such turns as rejected");
                }
                orchestrator[0].start();
            }
            WorldOrchestrator wd = worldDriver;
            BooleanSupplier hasWork = wd != null ? wd::hasWork : () -> orchestrator[0].hasWork();
            InstanceSampler sampler = outDir == null ? null
                    : new InstanceSampler(kernel, instances, a.timeseriesIntervalNs(),
                            hasWork, outDir.resolve("timeseries.csv"),
                            meter == null ? null : new PowerSampler(sim.power(), meter));
            if (sampler != null) {
                sampler.start();
            }
            try {
                kernel.run();
            } finally {
                if (progress != null) {
                    progress.done();
                }
            }
            if (sampler != null) {
                sampler.close();
            }
            long offloaded = 0, restored = 0, used = 0, broken = 0, expired = 0, steps = 0, moved = 0;
            int gpus = 0;
            long lastStepEnd = 0;
            Set<String> sources = new LinkedHashSet<>();
            DecisionLog decisions = DecisionLog.countersOnly();
            for (ClusterInstance c : instances) {
                decisions.add(c.residency.decisions());
                offloaded += c.residency.offloadedBytes();
                restored += c.residency.restoredBytes();
                used += c.residency.pinsUsed();
                broken += c.residency.pinsBroken();
                expired += c.residency.pinsExpired();
                steps += c.engine.steps();
                summary.addStepWork(c.engine.work());
                if (c.engine.split() != null) {
                    summary.addStreams(c.engine.meanDecodeSlot(), c.engine.split().controller().raises(),
                            c.engine.split().controller().lowers());
                }
                moved += PowerSampler.bytesMoved(c.residency.host());
                gpus += c.spec.tensorParallelSize();
                lastStepEnd = Math.max(lastStepEnd, c.engine.lastStepEndNs());
                sources.add(stepTimeSource(c.spec));
                if (worldSummary != null) {
                    worldSummary.addPrefetch(c.residency.prefetchedBytes(), c.residency.prefetchStops());
                    LoraWiring.report(c.engine, c.residency, worldSummary);
                }
            }
            summary.setDecisions(decisions);
            EnergyReport energy = meter == null ? EnergyReport.off(sim.power()) : EnergyReport.of(sim.power(), meter,
                    summary.windowStartNs(), summary.windowEndNs(), summary.outputTokens(), moved);
            if (meter != null && flat && outDir != null) {
                PowerCsv.write(outDir.resolve("power.csv"), sim.power(), meter, summary.windowStartNs(),
                        summary.windowEndNs());
            }
            summary.finish(new RunCounters(wd != null ? wd.routerCounters() : orchestrator[0].routerCounters(), offloaded,
                    restored, used, broken, expired, steps, Math.max(lastStepEnd, summary.windowEndNs()),
                    System.nanoTime() - wallStart, sim.model().name(), String.join(" + ", sources), instances.size(),
                    gpus), wd != null ? wd.rejectedCalls() : orchestrator[0].rejectedTurns(), energy);
        }
        return summary;
    }

    private static final long POWER_BIN_NS = 1_000_000_000L;

    /**
     * The step times of {@code spec}'s GPU cut into SM partitions, over its own step-time model; null when the
     * catalog does not know its GPU (then only a time-sliced split can run, AgentSetup checks it).
     */
    private static SmShareStepTimeModel smShares(InstanceSpec spec, SchedulingPolicy policy) {
        GpuSpec gpu = spec.catalogGpu();
        double perSm = policy instanceof AgentServePolicy as ? as.settings().smBandwidthGbps() * 1e9
                : SmShareStepTimeModel.DEFAULT_SM_BANDWIDTH;
        return gpu == null ? null : new SmShareStepTimeModel(spec.stepTime(), gpu, spec.model(),
                spec.tensorParallelSize(), RooflineFactors.builtin().forGpu(gpu), null, perSm);
    }

    /**
     * Puts each deployment's data-parallel ranks of an MoE model (consecutive instances built from one spec)
     * into one {@link LockstepGroup}; the router still sees every rank.
     */
    private static void lockstep(Simulation kernel, List<ClusterInstance> instances) {
        for (int i = 0; i < instances.size(); ) {
            DataParallel dp = instances.get(i).spec.dataParallel();
            if (!dp.lockstepped()) {
                i++;
                continue;
            }
            EngineInstance[] ranks = new EngineInstance[dp.size()];
            for (int r = 0; r < ranks.length; r++) {
                ranks[r] = instances.get(i + r).engine;
            }
            new LockstepGroup(kernel, ranks, dp.lockstep());
            i += ranks.length;
        }
    }

    /** Which step-time model priced an instance's steps; a data-parallel deployment's says how its ranks step. */
    private static String stepTimeSource(InstanceSpec spec) {
        DataParallel dp = spec.dataParallel();
        if (dp.lockstepped()) {
            return dp.lockstep().source();
        }
        return (dp.size() > 1 ? "dp" + dp.size() + " independent ranks: " : "") + spec.stepTime().source();
    }

    private static List<ClusterInstance> withRole(List<ClusterInstance> all, InstanceSpec.Role role) {
        List<ClusterInstance> out = new ArrayList<>();
        for (ClusterInstance c : all) {
            if (c.role() == role) {
                out.add(c);
            }
        }
        return out;
    }

    private static HostTier tier(String name, io.agentservesim.config.SimulationConfig.HostTierConfig c, long bytesPerBlock) {
        Link link = new Link(name + "-link", c.bandwidthGbPerS() * 1e9, Math.round(c.latencyUs() * 1e3));
        return new HostTier(name, Math.max(1, (long) (c.capacityGib() * GIB / bytesPerBlock)), bytesPerBlock, link);
    }

    /** Sends each record to every subscriber, in the order they were added. */
    private static final class Fanout implements RunListener {
        private final List<RunListener> to = new ArrayList<>();

        Fanout(RunListener first) {
            to.add(first);
        }

        /** Subscribes {@code l}; null is ignored. */
        void add(RunListener l) {
            if (l != null) {
                to.add(l);
            }
        }

        @Override
        public void onTurn(TurnRecord turn) {
            for (int i = 0, n = to.size(); i < n; i++) {
                to.get(i).onTurn(turn);
            }
        }

        @Override
        public void onProgram(ProgramRecord program) {
            for (int i = 0, n = to.size(); i < n; i++) {
                to.get(i).onProgram(program);
            }
        }
    }

    /** A world's agents call no tools: no gaps are ever observed. */
    private static final GapStatsSource NO_GAPS = new GapStatsSource() {
        private final io.agentservesim.residency.GapStats none = new io.agentservesim.residency.GapStats();

        @Override
        public io.agentservesim.residency.GapStats toolGaps(String toolName) {
            return none;
        }

        @Override
        public io.agentservesim.residency.GapStats programGaps(int programId) {
            return none;
        }
    };

    /** The orchestrator's gap statistics, reachable before the orchestrator exists (it is built last). */
    private record LazyGaps(GapStatsSource[] holder) implements GapStatsSource {
        @Override
        public io.agentservesim.residency.GapStats toolGaps(String toolName) {
            return holder[0].toolGaps(toolName);
        }

        @Override
        public io.agentservesim.residency.GapStats programGaps(int programId) {
            return holder[0].programGaps(programId);
        }
    }
}
