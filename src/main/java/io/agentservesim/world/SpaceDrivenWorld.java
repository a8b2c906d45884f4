package io.agentservesim.world;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.apache.commons.rng.JumpableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Space-driven activation, the "interaction-involved" class of ScaleSim (arXiv 2601.21473; Generative
 * Agents-style worlds): agents walk at {@code speed} units per step to one of {@code places} destinations, a
 * trip of a drawn length. An agent calls the LLM at a step when its cooldown since its last call is over and some
 * agent heading to its destination (itself included) is there: it arrived, or an arrival there gives it
 * something to react to. After a call the agent sets off on a new trip to a random place.
 *
 * <p>Hints, exactly as ScaleSim's {@code SScheduler/timestepManager/SpaceManager.py} computes them: while the
 * cooldown runs, the steps left of it (a lower bound: the agent may have to wait longer for an arrival); after
 * it, the minimum over the agents sharing its destination of {@code ceil(distance / speed)} (0 for one already
 * there). Calling agents are at 0. Agents start part-way through a first trip (random phase).
 *
 * <p>Deterministic: one seed, one jump of one XoRoShiRo128++ stream per kind of draw.
 */
public final class SpaceDrivenWorld implements WorldSource {
    private final WorldSpec spec;
    private final int[] persona;
    private final int places;
    private final double speed;
    private final int cooldown;
    private final int[] destination;
    private final double[] remaining;
    private final int[] lastCall;
    private final DiscreteSampler trip;
    private final UniformRandomProvider placeChoice;
    private final DiscreteSampler observation;
    private final DiscreteSampler output;
    private final int[] present;
    private final int[] minArrival;
    private int produced;

    public SpaceDrivenWorld(WorldSpec spec) {
        this.spec = spec;
        int n = spec.agents();
        JumpableUniformRandomProvider base =
                (JumpableUniformRandomProvider) RandomSource.XO_RO_SHI_RO_128_PP.create(spec.seed());
        this.persona = PlanDrivenWorld.draw(spec.personaTokens(), base.jump(), n);
        this.places = spec.space().placesFor(n);
        this.speed = spec.space().speed();
        this.cooldown = spec.space().cooldownSteps();
        this.trip = spec.space().tripDistance().sampler(base.jump());
        this.placeChoice = base.jump();
        this.observation = spec.observationTokens().sampler(base.jump());
        this.output = spec.outputTokens().sampler(base.jump());
        UniformRandomProvider phase = base.jump();
        this.destination = new int[n];
        this.remaining = new double[n];
        this.lastCall = new int[n];
        for (int a = 0; a < n; a++) {
            destination[a] = placeChoice.nextInt(places);
            remaining[a] = Math.floor(phase.nextDouble() * trip.sample());
            lastCall[a] = -cooldown;
        }
        this.present = new int[places];
        this.minArrival = new int[places];
    }

    @Override public int agents() { return spec.agents(); }
    @Override public int sharedPrefixTokens() { return spec.sharedPrefixTokens(); }
    @Override public int personaTokens(int agent) { return persona[agent]; }
    @Override public Integer memoryMaxTokens() { return spec.memoryMaxTokens(); }

    @Override
    public boolean hasNext() {
        return produced < spec.steps();
    }

    @Override
    public WorldStep next(AgentContexts contexts) {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + spec.steps() + " world steps were produced");
        }
        int s = produced;
        int n = spec.agents();
        Arrays.fill(present, 0);
        for (int a = 0; a < n; a++) {
            if (remaining[a] <= 0) {
                present[destination[a]]++;
            }
        }
        IntArrayList active = new IntArrayList();
        for (int a = 0; a < n; a++) {
            if (s - lastCall[a] >= cooldown && present[destination[a]] > 0) {
                active.add(a);
            }
        }
        int[] agents = active.toIntArray();
        for (int a : agents) {
            lastCall[a] = s;
            destination[a] = placeChoice.nextInt(places);
            remaining[a] = trip.sample();
        }
        Arrays.fill(minArrival, Integer.MAX_VALUE);
        for (int a = 0; a < n; a++) {
            int arrival = remaining[a] <= 0 ? 0 : (int) Math.ceil(remaining[a] / speed);
            minArrival[destination[a]] = Math.min(minArrival[destination[a]], arrival);
        }
        int[] distance = new int[n];
        for (int a = 0; a < n; a++) {
            int elapsed = s - lastCall[a];
            distance[a] = elapsed < cooldown ? cooldown - elapsed : minArrival[destination[a]];
        }
        int[] input = new int[agents.length];
        int[] out = new int[agents.length];
        for (int i = 0; i < agents.length; i++) {
            distance[agents[i]] = 0;
            input[i] = contexts.contextTokens(agents[i]) + observation.sample();
            out[i] = output.sample();
        }
        for (int a = 0; a < n; a++) {
            if (remaining[a] > 0) {
                remaining[a] = Math.max(0, remaining[a] - speed);
            }
        }
        produced++;
        return new WorldStep(s, agents, input, out, InvocationHints.of(s, distance));
    }

    @Override
    public void close() {
    }
}
