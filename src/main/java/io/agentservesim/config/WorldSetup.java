package io.agentservesim.config;

import io.agentservesim.error.InputException;
import io.agentservesim.tool.StrictYaml;
import io.agentservesim.world.PlanDrivenWorld;
import io.agentservesim.world.SpaceDrivenWorld;
import io.agentservesim.world.WorldSource;
import io.agentservesim.world.WorldSpec;
import io.agentservesim.world.WorldTraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code world} section resolved: where the steps of a multi-agent simulation come from (a world trace or a
 * plan- or space-driven generator), the vocabulary and seed its token ids are drawn with, and the world's own
 * time between steps.
 *
 * @param source opens the steps afresh for each run
 * @param name what the outputs call the workload
 * @param vocabSize token ids are drawn from [0, vocabSize)
 * @param seed seed of the token ids (the generator's seed, else the master seed)
 * @param stepOverheadNs simulated time between the last call of a step returning and the next step
 * @param unservable what a call no instance could ever run does (world.on_unservable)
 * @param lora the agents' LoRA adapters ({@code lora} section); null = the base model
 */
public record WorldSetup(Supplier<WorldSource> source, String name, int vocabSize, long seed, long stepOverheadNs,
                         UnservableTurns unservable, io.agentservesim.lora.LoraSpec lora) {
    private static final double NS_PER_S = 1e9;

    static boolean wanted(SimulationConfig c) {
        SimulationConfig.World w = c.world();
        return w != null && (w.trace() != null || (w.synthetic() != null && !w.synthetic().isNull()));
    }

    static WorldSetup resolve(Path file, Path base, SimulationConfig c) {
        SimulationConfig.World w = c.world();
        boolean synthetic = w.synthetic() != null && !w.synthetic().isNull();
        if (w.trace() != null && synthetic) {
            throw InputException.at(file, "world: give either trace or synthetic, not both");
        }
        if (c.programs().trace() != null || (c.programs().synthetic() != null && !c.programs().synthetic().isNull())) {
            throw InputException.at(file, "programs: leave it empty when a world is given (one workload per simulation)");
        }
        if (!(w.stepOverheadS() >= 0) || Double.isInfinite(w.stepOverheadS())) {
            throw InputException.at(file, "world.step_overhead_s: expected a finite value >= 0, got " + w.stepOverheadS());
        }
        long overhead = Math.round(w.stepOverheadS() * NS_PER_S);
        UnservableTurns unservable = UnservableTurns.parse(file, "world.on_unservable", w.onUnservable());
        if (w.trace() != null) {
            Path trace = base.resolve(w.trace()).normalize();
            if (!Files.exists(trace)) {
                throw InputException.at(file, "world.trace: " + trace + " does not exist");
            }
            int agents;
            try (WorldTraceReader r = WorldTraceReader.open(trace)) { // the header is checked before the run
                agents = r.agents();
            }
            return new WorldSetup(() -> WorldTraceReader.open(trace), trace.toString(), WorldSpec.DEFAULT_VOCAB_SIZE,
                    c.seed(), overhead, unservable, lora(file, c, agents));
        }
        if (!(w.synthetic() instanceof ObjectNode node)) {
            throw InputException.at(file, "world.synthetic: expected a mapping (agents, steps, activation, ...)");
        }
        ObjectNode withSeed = node.deepCopy();
        if (!withSeed.has("seed")) {
            withSeed.put("seed", c.seed());
        }
        WorldSpec spec = StrictYaml.bind(withSeed, WorldSpec.class, file, "world.synthetic")
                .validate(file, "world.synthetic");
        Supplier<WorldSource> source = switch (spec.activation()) {
            case PLAN -> () -> new PlanDrivenWorld(spec);
            case SPACE -> () -> new SpaceDrivenWorld(spec);
        };
        return new WorldSetup(source, file + " (world.synthetic: " + spec.agents() + " agents, "
                + spec.activation().name().toLowerCase(java.util.Locale.ROOT) + "-driven)", spec.vocabSize(),
                spec.seed(), overhead, unservable, lora(file, c, spec.agents()));
    }

    private static io.agentservesim.lora.LoraSpec lora(Path file, SimulationConfig c, int agents) {
        return c.lora() == null || c.lora().isNull() ? null
                : io.agentservesim.lora.LoraSpec.resolve(c.lora(), file, "lora", agents);
    }
}
