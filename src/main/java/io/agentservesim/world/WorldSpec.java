package io.agentservesim.world;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.error.FieldPathError;
import io.agentservesim.workload.LengthDistribution;
import java.nio.file.Path;

/**
 * A synthetic multi-agent simulation as written in YAML (snake_case), the workload ScaleSim serves: N agents
 * step a simulated world; at each world step the agents whose turn it is call the LLM once, and the world
 * advances only when every call of the step has returned (a barrier).
 *
 * <pre>
 * agents: 1000                  # required, >= 1
 * steps: 20                     # required, >= 1: world steps simulated
 * seed: 7                       # default: the master seed
 * activation: plan              # required: plan | space (who calls at each step, and the invocation-distance hints)
 * plan:  {ticks_per_step: 1, action_ticks: {type: uniform, min: 1, max: 9}, interrupt_prob: 0.0}
 * space: {places: null, speed: 1.0, trip_distance: {type: uniform, min: 1, max: 9}, cooldown_steps: 2}
 * shared_prefix_tokens: 0       # world rules every prompt starts with (per agent when agents have LoRA adapters)
 * persona_tokens: {type: fixed, tokens: 1000}           # each agent's private persona, drawn once
 * observation_tokens: {type: lognormal, mean: 200, sd: 60, min: 16, max: 2048}   # fresh per call
 * output_tokens: {type: lognormal, mean: 120, sd: 40, min: 8, max: 1024}
 * memory_max_tokens: null       # memory above this is summarised to half of it (its KV is lost); null = unbounded
 * vocab_size: 32000
 * </pre>
 *
 * A call's prompt is shared prefix + persona + memory + the step's observation; its output is appended to
 * the agent's memory ({@link AgentContexts}), so each call reuses the KV of the agent's earlier context.
 */
public record WorldSpec(int agents, int steps, long seed, Activation activation, PlanSpec plan, SpaceSpec space,
        int sharedPrefixTokens, LengthDistribution personaTokens, LengthDistribution observationTokens,
        LengthDistribution outputTokens, Integer memoryMaxTokens, int vocabSize) {

    public static final int DEFAULT_VOCAB_SIZE = 32000;

    /** Who calls at each step and how the hints are estimated. */
    public enum Activation {
        /** Each agent executes planned actions of drawn durations; it calls when one ends (ScaleSim's PlanManager). */
        @JsonProperty("plan") PLAN,
        /** Agents walk to shared places; they call on arriving where others are (ScaleSim's SpaceManager). */
        @JsonProperty("space") SPACE
    }

    /**
     * Plan-driven activation.
     *
     * @param ticksPerStep simulation ticks per world step
     * @param actionTicks duration of each planned action, in ticks
     * @param interruptProb per agent and step, the chance that an event cuts its action short (an unplanned call)
     */
    public record PlanSpec(int ticksPerStep, LengthDistribution actionTicks, double interruptProb) {
        @JsonCreator
        static PlanSpec fromYaml(@JsonProperty("ticks_per_step") Integer ticksPerStep,
                @JsonProperty("action_ticks") LengthDistribution actionTicks,
                @JsonProperty("interrupt_prob") Double interruptProb) {
            return new PlanSpec(ticksPerStep == null ? 1 : ticksPerStep,
                    actionTicks == null ? LengthDistribution.uniform(1, 9) : actionTicks,
                    interruptProb == null ? 0.0 : interruptProb);
        }

        static PlanSpec defaults() {
            return fromYaml(null, null, null);
        }
    }

    /**
     * Space-driven activation.
     *
     * @param places destinations agents walk to; null = one per ten agents
     * @param speed distance units an agent walks per step
     * @param tripDistance length of each trip, in distance units
     * @param cooldownSteps steps after a call before the agent may call again
     */
    public record SpaceSpec(Integer places, double speed, LengthDistribution tripDistance, int cooldownSteps) {
        @JsonCreator
        static SpaceSpec fromYaml(@JsonProperty("places") Integer places, @JsonProperty("speed") Double speed,
                @JsonProperty("trip_distance") LengthDistribution tripDistance,
                @JsonProperty("cooldown_steps") Integer cooldownSteps) {
            return new SpaceSpec(places, speed == null ? 1.0 : speed,
                    tripDistance == null ? LengthDistribution.uniform(1, 9) : tripDistance,
                    cooldownSteps == null ? 2 : cooldownSteps);
        }

        static SpaceSpec defaults() {
            return fromYaml(null, null, null, null);
        }

        /** The number of places for {@code agents} agents. */
        public int placesFor(int agents) {
            return places != null ? places : Math.max(1, agents / 10);
        }
    }

    @JsonCreator
    static WorldSpec fromYaml(
            @JsonProperty(value = "agents", required = true) int agents,
            @JsonProperty(value = "steps", required = true) int steps,
            @JsonProperty("seed") Long seed,
            @JsonProperty(value = "activation", required = true) Activation activation,
            @JsonProperty("plan") PlanSpec plan,
            @JsonProperty("space") SpaceSpec space,
            @JsonProperty("shared_prefix_tokens") Integer sharedPrefixTokens,
            @JsonProperty("persona_tokens") LengthDistribution personaTokens,
            @JsonProperty("observation_tokens") LengthDistribution observationTokens,
            @JsonProperty("output_tokens") LengthDistribution outputTokens,
            @JsonProperty("memory_max_tokens") Integer memoryMaxTokens,
            @JsonProperty("vocab_size") Integer vocabSize) {
        return new WorldSpec(agents, steps, seed == null ? 0 : seed, activation,
                plan == null ? PlanSpec.defaults() : plan, space == null ? SpaceSpec.defaults() : space,
                sharedPrefixTokens == null ? 0 : sharedPrefixTokens,
                personaTokens == null ? LengthDistribution.fixed(1000) : personaTokens,
                observationTokens == null ? LengthDistribution.lognormal(200, 60, 16, 2048) : observationTokens,
                outputTokens == null ? LengthDistribution.lognormal(120, 40, 8, 1024) : outputTokens,
                memoryMaxTokens, vocabSize == null ? DEFAULT_VOCAB_SIZE : vocabSize);
    }

    public WorldSpec withSeed(long newSeed) {
        return new WorldSpec(agents, steps, newSeed, activation, plan, space, sharedPrefixTokens, personaTokens,
                observationTokens, outputTokens, memoryMaxTokens, vocabSize);
    }

    /** Checks every value, naming {@code prefix}.field on a problem. */
    public WorldSpec validate(Path source, String prefix) {
        positive(source, prefix, "agents", agents);
        positive(source, prefix, "steps", steps);
        if (activation == null) {
            throw fail(source, prefix, "activation", "expected plan or space");
        }
        if (sharedPrefixTokens < 0) {
            throw fail(source, prefix, "shared_prefix_tokens", "expected an integer >= 0, got " + sharedPrefixTokens);
        }
        personaTokens.validate(source, FieldPathError.join(prefix, "persona_tokens"));
        observationTokens.validate(source, FieldPathError.join(prefix, "observation_tokens"));
        outputTokens.validate(source, FieldPathError.join(prefix, "output_tokens"));
        if (memoryMaxTokens != null && memoryMaxTokens < 2) {
            throw fail(source, prefix, "memory_max_tokens", "expected an integer >= 2 or null, got " + memoryMaxTokens);
        }
        if (vocabSize < 2) {
            throw fail(source, prefix, "vocab_size", "expected an integer >= 2, got " + vocabSize);
        }
        String p = FieldPathError.join(prefix, "plan");
        positive(source, p, "ticks_per_step", plan.ticksPerStep());
        plan.actionTicks().validate(source, FieldPathError.join(p, "action_ticks"));
        if (!(plan.interruptProb() >= 0 && plan.interruptProb() <= 1)) {
            throw fail(source, p, "interrupt_prob", "expected a probability in [0, 1], got " + plan.interruptProb());
        }
        String s = FieldPathError.join(prefix, "space");
        if (space.places() != null) {
            positive(source, s, "places", space.places());
        }
        if (!(space.speed() > 0) || Double.isInfinite(space.speed())) {
            throw fail(source, s, "speed", "expected a finite value > 0, got " + space.speed());
        }
        space.tripDistance().validate(source, FieldPathError.join(s, "trip_distance"));
        if (space.cooldownSteps() < 0) {
            throw fail(source, s, "cooldown_steps", "expected an integer >= 0, got " + space.cooldownSteps());
        }
        return this;
    }

    private static void positive(Path source, String prefix, String field, int value) {
        if (value < 1) {
            throw fail(source, prefix, field, "expected an integer >= 1, got " + value);
        }
    }

    private static RuntimeException fail(Path source, String prefix, String field, String what) {
        return FieldPathError.of(source, "world spec", FieldPathError.join(prefix, field), what);
    }
}
