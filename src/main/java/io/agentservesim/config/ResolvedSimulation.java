package io.agentservesim.config;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.error.InputException;
import io.agentservesim.error.JacksonInputErrors;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.power.PowerSettings;
import io.agentservesim.power.PowerSettingsResolver;
import io.agentservesim.workload.FlatTraceReader;
import io.agentservesim.workload.RequestSource;
import io.agentservesim.workload.SyntheticWorkloadSpec;
import io.agentservesim.workload.SyntheticWorkload;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulation ready to run: the YAML config with paths resolved against its folder, the model shape
 * loaded, the KV pool sized, the step-time model built and the workload opened on demand. Every run is a
 * cluster serving programs ({@link #agent}); a flat request workload ({@link #workload}, non-null only
 * then) runs as one-turn programs on one instance. Every problem found here is an {@link InputException}
 * naming the file and field.
 */
public record ResolvedSimulation(
        Path configFile,
        ModelShape model,
        EngineConfig engine,
        StepTimeModel stepTime,
        Supplier<RequestSource> workload,
        String workloadName,
        long seed,
        boolean recordItl,
        AgentSetup agent,
        PowerSettings power,
        List<PowerSettings> instancePower,
        DataParallel dataParallel) {

    /** One engine core per instance (no data parallelism). */
    public ResolvedSimulation(Path configFile, ModelShape model, EngineConfig engine, StepTimeModel stepTime,
                              Supplier<RequestSource> workload, String workloadName, long seed, boolean recordItl,
                              AgentSetup agent, PowerSettings power, List<PowerSettings> instancePower) {
        this(configFile, model, engine, stepTime, workload, workloadName, seed, recordItl, agent, power, instancePower,
                DataParallel.NONE);
    }

    /**
     * A flat workload without power accounting (LLMServingSim cluster configs have no power section): one
     * instance per data-parallel rank of {@code instance}.
     */
    static ResolvedSimulation flatWithoutPower(Path configFile, InstanceSpec instance, Supplier<RequestSource> workload,
                                               String workloadName, long seed, boolean recordItl) {
        return flatWithoutPower(configFile, Collections.nCopies(instance.dataParallel().size(), instance), workload,
                workloadName, seed, recordItl);
    }

    /**
     * A flat workload without power accounting on these instances (one per data-parallel rank, a deployment's
     * ranks consecutive), balanced by vLLM's front-end rule; the first instance stands for the run in its fields.
     */
    static ResolvedSimulation flatWithoutPower(Path configFile, List<InstanceSpec> instances,
                                               Supplier<RequestSource> workload, String workloadName, long seed,
                                               boolean recordItl) {
        PowerSettings off = PowerSettings.off(configFile == null ? "a replay without power accounting"
                : "no power section in an LLMServingSim cluster config");
        InstanceSpec first = instances.get(0);
        return new ResolvedSimulation(configFile, first.model(), first.engine(), first.stepTime(), workload,
                workloadName, seed, recordItl, AgentSetup.flat(workload, workloadName, instances, seed, DEFAULT_INTERVAL_NS),
                off, Collections.nCopies(instances.size(), off), first.dataParallel());
    }

    private static final long DEFAULT_INTERVAL_NS = 1_000_000_000L;

    /**
     * A replay of a flat JSONL trace on one deployment (its data-parallel ranks) with these settings, without power accounting (what
     * {@code validate} and {@code bench} run); {@code recordItl} records every token's time.
     */
    public static ResolvedSimulation flatReplay(ModelShape model, EngineConfig engine, StepTimeModel stepTime,
                                                int tensorParallelSize, DataParallel dataParallel,
                                                Supplier<RequestSource> workload, String workloadName,
                                                boolean recordItl) {
        InstanceSpec instance = new InstanceSpec(model, engine, stepTime, tensorParallelSize, InstanceSpec.Role.BOTH,
                stepTime.source(), null, null, dataParallel, "as given", 1);
        return flatWithoutPower(null, instance, workload, workloadName, 0L, recordItl);
    }

    /** Whether this simulation serves agent programs (else a flat request workload, as one-turn programs). */
    public boolean isAgentRun() {
        return workload == null;
    }

    /**
     * Loads a simulation YAML file, or LLMServingSim's cluster config.json (whose model configs and
     * profiles are looked up under {@code dataRoot}). {@code workloadOverride} (may be null) replaces
     * the config's workload with a flat JSONL trace.
     */
    public static ResolvedSimulation load(Path configFile, Path workloadOverride, Path dataRoot) {
        return load(configFile, workloadOverride, dataRoot, ConfigOverrides.NONE);
    }

    /** {@link #load(Path, Path, Path)} with {@code --set} overrides applied to the file's tree first. */
    public static ResolvedSimulation load(Path configFile, Path workloadOverride, Path dataRoot, ConfigOverrides sets) {
        return fromTree(configFile, userTree(configFile, sets), workloadOverride, dataRoot, sets);
    }

    /** The file's tree with the overrides applied (what a run binds; what a sweep cell's id hashes). */
    public static JsonNode userTree(Path configFile, ConfigOverrides sets) {
        JsonNode user = YamlConfigLoader.readTree(configFile);
        boolean cluster = LlmServingSimCluster.looksLikeClusterConfig(configFile, user);
        return sets.applyTo(user, cluster ? null : YamlConfigLoader.reference(REFERENCE));
    }

    private static final String REFERENCE = "/io/agentservesim/config/reference.yaml";

    /**
     * Resolves an already read (and overridden) tree of {@code configFile}; relative paths still resolve
     * against the file's folder. A binding error about an overridden key says that --set gave it.
     */
    public static ResolvedSimulation fromTree(Path configFile, JsonNode user, Path workloadOverride, Path dataRoot,
                                              ConfigOverrides sets) {
        try {
            return fromTree(configFile, user, workloadOverride, dataRoot);
        } catch (InputException e) {
            for (ConfigOverrides.Override o : sets.list()) {
                if (e.getMessage().contains(o.key())) {
                    throw new InputException(e.getMessage() + " (from --set " + o.text() + ")", e);
                }
            }
            throw e;
        }
    }

    private static ResolvedSimulation fromTree(Path configFile, JsonNode user, Path workloadOverride, Path dataRoot) {
        if (LlmServingSimCluster.looksLikeClusterConfig(configFile, user)) {
            return LlmServingSimCluster.resolve(configFile, user, dataRoot, workloadOverride);
        }
        SimulationConfig c = YamlConfigLoader.bind(configFile, YamlConfigLoader.reference(REFERENCE), user,
                SimulationConfig.class);
        Path base = configFile.toAbsolutePath().getParent();

        InstanceSpec instance = InstanceSpec.build(configFile, base, c, InstanceSpec.Role.BOTH);
        ModelShape model = instance.model();
        EngineConfig engine = instance.engine();
        StepTimeModel stepTime = instance.stepTime();

        SimulationConfig.Power p = c.power();
        Path profile = c.hardware().profile() == null ? null : base.resolve(c.hardware().profile()).normalize();
        String powerGpu = p.gpu() != null ? p.gpu() : c.hardware().gpu();
        PowerSettings power = PowerSettingsResolver.resolve(configFile, p.enabled(), powerGpu, p.gpusPerInstance(),
                p.hostCpuW(), p.dramPjPerBit(), p.linkPjPerBit(), model, profile, instance.gpusPerRank(),
                GpuCatalog.builtin());
        if (workloadOverride == null && AgentSetup.wanted(c)) {
            AgentSetup agent = AgentSetup.resolve(configFile, base, c, user, instance);
            return new ResolvedSimulation(configFile, model, engine, stepTime, null, null, c.seed(), c.outputs().itl(),
                    agent, power, InstancePower.resolve(power, p, agent.instances()));
        }
        Supplier<RequestSource> workload;
        String workloadName;
        SimulationConfig.Workload w = c.workload();
        boolean hasSynthetic = w.synthetic() != null && !w.synthetic().isNull();
        if (workloadOverride != null) {
            Path trace = workloadOverride.toAbsolutePath();
            workload = () -> FlatTraceReader.open(trace);
            workloadName = trace.toString();
        } else if (w.trace() != null && hasSynthetic) {
            throw InputException.at(configFile, "workload: give either trace or synthetic, not both");
        } else if (w.trace() != null) {
            Path trace = base.resolve(w.trace()).normalize();
            workload = () -> FlatTraceReader.open(trace);
            workloadName = trace.toString();
        } else if (hasSynthetic) {
            SyntheticWorkloadSpec spec = bindSynthetic(configFile, w.synthetic(), c.seed());
            workload = () -> new SyntheticWorkload(spec);
            workloadName = configFile + " (workload.synthetic)";
        } else {
            throw InputException.at(configFile, "workload: expected trace (a JSONL file) or synthetic (a generator spec),"
                    + " or a programs section");
        }
        // Flat requests are one-turn programs on the cluster the YAML describes (cluster.instances, its router, ...).
        AgentSetup flat = AgentSetup.resolveFlat(configFile, base, c, user, instance, workload, workloadName);
        List<PowerSettings> instancePower = c.cluster().groups() == null || c.cluster().groups().isNull()
                ? Collections.nCopies(flat.instances().size(), power) : InstancePower.resolve(power, p, flat.instances());
        return new ResolvedSimulation(configFile, model, engine, stepTime, workload, workloadName, c.seed(),
                c.outputs().itl(), flat, power, instancePower, instance.dataParallel());
    }

    /**
     * The config as the simulator reads it, every default filled in (for the output's manifest); an
     * LLMServingSim cluster config.json as written, since its defaults live in the data it names.
     */
    public static JsonNode resolvedTree(Path configFile, ConfigOverrides sets) {
        JsonNode user = userTree(configFile, sets);
        if (LlmServingSimCluster.looksLikeClusterConfig(configFile, user)) {
            return user;
        }
        return YamlConfigLoader.merged(YamlConfigLoader.reference("/io/agentservesim/config/reference.yaml"), user);
    }

    /** The synthetic spec; without its own seed it takes the master seed. */
    private static SyntheticWorkloadSpec bindSynthetic(Path file, JsonNode node, long seed) {
        if (!node.isObject()) {
            throw InputException.at(file, "workload.synthetic: expected a mapping (num_requests, rate_per_sec, input, output, ...)");
        }
        ObjectNode withSeed = ((ObjectNode) node).deepCopy();
        if (!withSeed.has("seed")) {
            withSeed.put("seed", seed);
        }
        try {
            return SyntheticWorkloadSpec.fromTree(withSeed)
                    .validate(file, "workload.synthetic");
        } catch (JacksonException ex) {
            throw InputException.at(file, "workload.synthetic." + JacksonInputErrors.message(ex));
        }
    }
}
