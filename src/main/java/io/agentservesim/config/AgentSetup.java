package io.agentservesim.config;

import io.agentservesim.error.InputException;
import io.agentservesim.metrics.SloTargets;
import io.agentservesim.program.AgenticSessionReader;
import io.agentservesim.program.DagWorkflowReader;
import io.agentservesim.program.FlatRequestPrograms;
import io.agentservesim.program.MergedProgramSource;
import io.agentservesim.program.ProgramSource;
import io.agentservesim.program.synthetic.ProgramGenerator;
import io.agentservesim.program.synthetic.ProgramWorkloadSpec;
import io.agentservesim.residency.InvocationDistanceOptions;
import io.agentservesim.residency.RetentionOptions;
import io.agentservesim.residency.RetentionPolicies;
import io.agentservesim.residency.RetentionPolicy;
import io.agentservesim.residency.StockLruRetention;
import io.agentservesim.router.LoadRouter;
import io.agentservesim.router.RouterOptions;
import io.agentservesim.router.Routers;
import io.agentservesim.sched.FcfsPolicy;
import io.agentservesim.sched.PolicySettings;
import io.agentservesim.sched.SchedulingPolicies;
import io.agentservesim.tool.StrictYaml;
import io.agentservesim.tool.ToolSimulatorSpec;
import io.agentservesim.workload.RequestSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The agent-program part of a simulation, resolved and checked before the run: where programs come from,
 * the Tool Simulator, the cluster (its instances, each with its own GPU, engine and role; the routers; the
 * prefill-to-decode KV link of a disaggregated cluster), the KV Residency Model (retention policy, host
 * tier) and the scheduling policy. Unknown policy names and impossible combinations (a policy that needs
 * a host tier without one) are refused here, naming the field.
 */
public record AgentSetup(
        Supplier<ProgramSource> programs,
        String programsName,
        ToolSimulatorSpec tools,
        List<InstanceSpec> instances,
        SimulationConfig.PdLink pdLink,
        String router,
        String decodeRouter,
        RouterOptions routerOptions,
        String retention,
        RetentionOptions retentionOptions,
        SimulationConfig.HostTierConfig hostTier,
        SimulationConfig.HostTierConfig cxlTier,
        String scheduling,
        PolicySettings schedulingSettings,
        int closedLoopAgents,
        long timeseriesIntervalNs,
        WorldSetup world,
        SloTargets slo,
        boolean decisionsCsv,
        UnservableTurns unservable) {

    private static final double NS_PER_S = 1e9;

    /** Whether prefill and decode run on separate instances (a pd_link is set only then). */
    public boolean disaggregated() {
        return pdLink != null;
    }

    /**
     * A flat request workload as one-turn programs on one instance per data-parallel rank: no tools, stock
     * vLLM (LRU prefix cache, FCFS) and vLLM's front-end balancing over the ranks ({@link LoadRouter}: the
     * least 4 x waiting + running, ties to the lowest rank), so the one run path reproduces the
     * single-deployment replay step for step.
     */
    public static AgentSetup flat(Supplier<RequestSource> workload, String workloadName, InstanceSpec instance,
                                  long seed, long timeseriesIntervalNs) {
        return flat(workload, workloadName, java.util.Collections.nCopies(instance.dataParallel().size(), instance), seed,
                timeseriesIntervalNs);
    }

    /** As {@link #flat(Supplier, String, InstanceSpec, long, long)} on these instances (ranks of a deployment consecutive). */
    public static AgentSetup flat(Supplier<RequestSource> workload, String workloadName, List<InstanceSpec> instances,
                                  long seed, long timeseriesIntervalNs) {
        return new AgentSetup(() -> new FlatRequestPrograms(workload.get()), workloadName,
                ToolSimulatorSpec.passThrough(), List.copyOf(instances), null, FLAT_ROUTER, FLAT_ROUTER,
                new RouterOptions(seed, RouterOptions.defaults().affinityPressureLimit()), StockLruRetention.NAME,
                RetentionOptions.defaults(), null, null, FcfsPolicy.NAME, PolicySettings.DEFAULTS, 0, timeseriesIntervalNs,
                null, SloTargets.NONE, false, UnservableTurns.ERROR);
    }

    private static final String FLAT_ROUTER = LoadRouter.NAME;

    /** The sampling interval of outputs.timeseries_interval_s, checked. */
    static long timeseriesIntervalNs(Path file, SimulationConfig c) {
        double interval = c.outputs().timeseriesIntervalS();
        if (!(interval > 0)) {
            throw InputException.at(file, "outputs.timeseries_interval_s: expected > 0, got " + interval);
        }
        return Math.round(interval * NS_PER_S);
    }

    /** Whether the agents are a multi-agent simulation ({@code world}) rather than independent programs. */
    public boolean isWorld() {
        return world != null;
    }

    static boolean wanted(SimulationConfig c) {
        return c.programs().trace() != null || isSet(c.programs().synthetic()) || WorldSetup.wanted(c);
    }

    private static boolean isSet(JsonNode n) {
        return n != null && !n.isNull();
    }

    static AgentSetup resolve(Path file, Path base, SimulationConfig c, JsonNode user, InstanceSpec top) {
        SimulationConfig.Programs p = c.programs();
        if (p.trace() != null && isSet(p.synthetic())) {
            throw InputException.at(file, "programs: give either trace or synthetic, not both");
        }
        if (c.workload().trace() != null || isSet(c.workload().synthetic())) {
            throw InputException.at(file, "workload: leave it empty when programs are given (one workload per simulation)");
        }
        Supplier<ProgramSource> source;
        String name;
        ToolSimulatorSpec tools;
        WorldSetup world = null;
        if (WorldSetup.wanted(c)) {
            world = WorldSetup.resolve(file, base, c);
            if (isSet(c.tools())) {
                throw InputException.at(file, "tools: a world's agents call no tools; remove the tools section");
            }
            source = null;
            name = world.name();
            tools = ToolSimulatorSpec.passThrough();
        } else if (p.trace() != null) {
            Path trace = base.resolve(p.trace()).normalize();
            if (!Files.exists(trace)) {
                throw InputException.at(file, "programs.trace: " + trace + " does not exist");
            }
            source = switch (p.format()) {
                case "agentic" -> () -> AgenticSessionReader.open(trace);
                case "dag" -> () -> DagWorkflowReader.open(trace);
                default -> throw InputException.at(file, "programs.format: '" + p.format()
                        + "' is not a format; expected agentic or dag");
            };
            name = trace.toString();
            tools = isSet(c.tools())
                    ? StrictYaml.bind(c.tools(), ToolSimulatorSpec.class, file, "tools").validate(file, "tools")
                    : ToolSimulatorSpec.passThrough();
        } else {
            // One generator spec, or a list of them whose programs are merged by arrival (a mix of agents).
            JsonNode syn = p.synthetic();
            List<ProgramWorkloadSpec> specs = new ArrayList<>();
            if (syn.isArray()) {
                for (int i = 0; i < syn.size(); i++) {
                    specs.add(bindGenerator(file, syn.get(i), "programs.synthetic[" + i + "]", c.seed() + i));
                }
                if (specs.isEmpty()) {
                    throw InputException.at(file, "programs.synthetic: expected at least one generator spec");
                }
            } else {
                specs.add(bindGenerator(file, syn, "programs.synthetic", c.seed()));
            }
            if (isSet(c.tools())) {
                throw InputException.at(file, "tools: a synthetic program workload carries its own tools "
                        + "(programs.synthetic.tools); remove the top-level tools section");
            }
            source = () -> {
                List<ProgramSource> gens = new ArrayList<>();
                for (ProgramWorkloadSpec spec : specs) {
                    gens.add(new ProgramGenerator(spec));
                }
                return gens.size() == 1 ? gens.get(0) : new MergedProgramSource(gens);
            };
            StringBuilder presets = new StringBuilder();
            for (ProgramWorkloadSpec spec : specs) {
                presets.append(presets.isEmpty() ? "" : "+").append(spec.preset().key());
            }
            name = file + " (programs.synthetic: " + presets + ")";
            // The generator already drew each program's gaps and retries with its own Tool Simulator.
            tools = ToolSimulatorSpec.passThrough();
        }

        if (p.trace() == null && user.path("programs").has("format")) {
            throw InputException.at(file, "programs.format: says how programs.trace is written; a "
                    + (world != null ? "world" : "synthetic program workload") + " has no programs.trace");
        }
        if (world == null && user.path("world").has("step_overhead_s")) {
            throw InputException.at(file, "world.step_overhead_s: only for a multi-agent world (world.trace or"
                    + " world.synthetic); remove it");
        }
        return serving(file, base, c, user, top, source, name, tools, world, closedLoop(file, c));
    }

    /**
     * A flat request workload (workload.trace or workload.synthetic) on the cluster its YAML describes: one-turn
     * programs through the same router, instances, KV Residency Model and scheduling policy as agent programs,
     * so cluster.instances, cluster.router, cluster.groups, kv.*, scheduling.* and slo are simulated. The
     * program-only settings (tools, programs.format, programs.closed_loop_agents, world.step_overhead_s) have
     * nothing to act on and are refused by name.
     */
    static AgentSetup resolveFlat(Path file, Path base, SimulationConfig c, JsonNode user, InstanceSpec top,
                                  Supplier<RequestSource> workload, String workloadName) {
        if (isSet(c.tools())) {
            throw InputException.at(file, "tools: flat requests (workload) call no tools; give a programs section"
                    + " for agent programs, or remove tools");
        }
        for (String key : new String[] {"format", "closed_loop_agents"}) {
            if (user.path("programs").has(key)) {
                throw InputException.at(file, "programs." + key + ": only for agent programs (programs.trace or"
                        + " programs.synthetic); flat requests (workload) arrive at their own times");
            }
        }
        if (user.path("world").has("step_overhead_s")) {
            throw InputException.at(file, "world.step_overhead_s: only for a multi-agent world (world.trace or"
                    + " world.synthetic); remove it");
        }
        return serving(file, base, c, user, top, () -> new FlatRequestPrograms(workload.get()), workloadName,
                ToolSimulatorSpec.passThrough(), null, 0);
    }

    /** The serving side shared by agent programs and flat requests: cluster, routers, KV residency, scheduling, SLOs. */
    private static AgentSetup serving(Path file, Path base, SimulationConfig c, JsonNode user, InstanceSpec top,
                                      Supplier<ProgramSource> source, String name, ToolSimulatorSpec tools,
                                      WorldSetup world, int closedLoopAgents) {
        SimulationConfig.Cluster cl = c.cluster();
        ClusterGroups.Layout layout = ClusterGroups.resolve(file, base, c, user, top);
        if (world != null && layout.pdLink() != null) {
            throw InputException.at(file, "cluster.groups: a world runs on instances that serve whole calls; "
                    + "prefill/decode roles are not supported for it");
        }
        RouterOptions routerOptions = named(file, "cluster",
                () -> new RouterOptions(c.seed(), cl.affinityPressureLimit(), cl.capacityLimit()));
        named(file, "cluster.router", () -> Routers.create(cl.router(), routerOptions));
        named(file, "cluster.decode_router", () -> Routers.create(cl.decodeRouter(), routerOptions));

        SimulationConfig.Kv kv = c.kv();
        SimulationConfig.InvocationDistance id = kv.invocationDistance();
        InvocationDistanceOptions invocationDistance = named(file, "kv", () -> new InvocationDistanceOptions(
                id.evictPriLevel(), id.loadAheadStep(), id.priorityEviction(), id.prefetch(), id.kv(), id.adapters()));
        PolicySettings retentionSettings = new YamlPolicySettings(kv.settings(), file, "kv.settings")
                .requireKnown(RetentionPolicies.names());
        PolicySettings schedulingSettings = new YamlPolicySettings(c.scheduling().settings(), file, "scheduling.settings")
                .requireKnown(SchedulingPolicies.names());
        RetentionOptions retentionOptions = named(file, "kv", () -> new RetentionOptions(
                Math.round(kv.ttlS() * NS_PER_S), Math.round(kv.continuumThresholdS() * NS_PER_S),
                Math.round(kv.defaultGapS() * NS_PER_S), invocationDistance, retentionSettings));
        // Every section given is checked, also those of policies not chosen for this run.
        for (String policyName : RetentionPolicies.names()) {
            named(file, "kv.settings." + policyName, () -> RetentionPolicies.create(policyName, retentionOptions));
        }
        for (String policyName : SchedulingPolicies.names()) {
            named(file, "scheduling.settings." + policyName, () -> SchedulingPolicies.create(policyName, schedulingSettings));
        }
        RetentionPolicy policy = named(file, "kv.retention", () -> RetentionPolicies.create(kv.retention(), retentionOptions));
        if (policy.needsHostTier() && kv.hostTier() == null) {
            throw InputException.at(file, "kv.retention: " + kv.retention() + " needs a host tier; set kv.host_tier");
        }
        checkTier(file, "kv.host_tier", kv.hostTier());
        checkTier(file, "kv.cxl_tier", kv.cxlTier());
        if (kv.cxlTier() != null && kv.hostTier() == null) {
            throw InputException.at(file, "kv.cxl_tier: a CXL tier sits below host DRAM; set kv.host_tier too");
        }
        io.agentservesim.sched.SchedulingPolicy scheduling = named(file, "scheduling.policy",
                () -> SchedulingPolicies.create(c.scheduling().policy(), schedulingSettings));
        if (scheduling.streams() != null) {
            for (InstanceSpec spec : layout.instances()) {
                if (spec.dataParallel().lockstepped()) {
                    throw InputException.at(file, "scheduling.policy: " + scheduling.name() + " runs a prefill and a"
                            + " decode stream on one GPU; data-parallel lockstep ranks are not supported with it");
                }
                if (scheduling.streams().partitioned() && spec.catalogGpu() == null) {
                    throw InputException.at(file, "hardware.gpu: " + scheduling.name() + "'s SM partitions need the"
                            + " GPU's specs; name a catalog GPU (or a profile of a catalog GPU)");
                }
            }
        }
        List<InstanceSpec> instances = LoraCarveOut.apply(file, c, layout.instances(), world);
        return new AgentSetup(source, name, tools, instances, layout.pdLink(), cl.router(),
                cl.decodeRouter(), routerOptions, kv.retention(),
                retentionOptions, kv.hostTier(), kv.cxlTier(), c.scheduling().policy(), schedulingSettings, closedLoopAgents,
                timeseriesIntervalNs(file, c),
                world, slo(file, c.slo()), c.outputs().decisions(), world != null ? world.unservable()
                        : UnservableTurns.parse(file, "programs.on_unservable", c.programs().onUnservable()));
    }

    /** programs.closed_loop_agents: >= 0, and not for a world (whose barrier sets its own pace). */
    private static int closedLoop(Path file, SimulationConfig c) {
        int n = c.programs().closedLoopAgents();
        if (n < 0) {
            throw InputException.at(file, "programs.closed_loop_agents: expected >= 0 (0 = open loop), got " + n);
        }
        if (n > 0 && WorldSetup.wanted(c)) {
            throw InputException.at(file, "programs.closed_loop_agents: a world paces its own agents; leave it 0");
        }
        return n;
    }

    /** The SLO targets; each set one must be > 0. */
    private static SloTargets slo(Path file, SimulationConfig.Slo s) {
        if (s == null) {
            return SloTargets.NONE;
        }
        return new SloTargets(target(file, "slo.ttft_ms", s.ttftMs(), 1e6), target(file, "slo.tpot_ms", s.tpotMs(), 1e6),
                target(file, "slo.jct_s", s.jctS(), NS_PER_S));
    }

    private static long target(Path file, String field, Double v, double nsPerUnit) {
        if (v == null) {
            return -1;
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw InputException.at(file, field + ": expected a number > 0 or null, got " + v);
        }
        return Math.round(v * nsPerUnit);
    }

    private static void checkTier(Path file, String field, SimulationConfig.HostTierConfig t) {
        if (t != null && (!(t.capacityGib() > 0) || !(t.bandwidthGbPerS() > 0) || t.latencyUs() < 0)) {
            throw InputException.at(file, field + ": expected capacity_gib > 0, bandwidth_gb_per_s > 0, latency_us >= 0");
        }
    }

    private static ProgramWorkloadSpec bindGenerator(Path file, JsonNode n, String field, long seed) {
        ObjectNode node = requireObject(file, n, field);
        if (!node.has("seed")) {
            node.put("seed", seed);
        }
        ProgramWorkloadSpec spec = StrictYaml.bind(node, ProgramWorkloadSpec.class, file, field);
        spec.validate(file, field);
        return spec;
    }

    private static ObjectNode requireObject(Path file, JsonNode n, String field) {
        if (!(n instanceof ObjectNode o)) {
            throw InputException.at(file, field + ": expected a mapping");
        }
        return o.deepCopy();
    }

    /** Runs a constructor that validates, turning its IllegalArgumentException into a named InputException. */
    private static <T> T named(Path file, String field, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, field + ": " + e.getMessage());
        }
    }
}
