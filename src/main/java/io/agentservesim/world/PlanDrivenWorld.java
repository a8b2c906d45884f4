package io.agentservesim.world;

import io.agentservesim.workload.LengthDistribution;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.util.NoSuchElementException;
import org.apache.commons.rng.JumpableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Plan-driven activation, the "independent simulation" class of ScaleSim (arXiv 2601.21473): each agent
 * executes a planned action that lasts a drawn number of ticks and calls the LLM when it ends, to plan the next
 * one. A world step covers {@code ticks_per_step} ticks. With {@code interrupt_prob} > 0 an event cuts an
 * agent's action short at a step (it calls then), which no hint foresaw.
 *
 * <p>Hints, as ScaleSim's {@code SScheduler/timestepManager/PlanManager.py} computes them from the remaining
 * plan duration d: {@code max(0, d - 1) // ticks_per_step}, evaluated when the previous step ends; published at
 * the start of step s, that is {@code ceil(r / ticks_per_step)} for the r ticks remaining then, the exact number
 * of steps until the agent calls unless an interrupt comes first. Calling agents are at 0 (any manager may force
 * 0). Agents start at a random phase of a first action, so the run opens in steady state rather than with every
 * agent calling at step 0.
 *
 * <p>Deterministic: one seed; personas, action lengths, interrupts, observations and outputs each have their own
 * jump of one XoRoShiRo128++ stream.
 */
public final class PlanDrivenWorld implements WorldSource {
    private final WorldSpec spec;
    private final int[] persona;
    private final int[] remainingTicks;
    private final DiscreteSampler actionTicks;
    private final UniformRandomProvider interrupts;
    private final DiscreteSampler observation;
    private final DiscreteSampler output;
    private final int ticksPerStep;
    private final double interruptProb;
    private int produced;

    public PlanDrivenWorld(WorldSpec spec) {
        this.spec = spec;
        int n = spec.agents();
        JumpableUniformRandomProvider base =
                (JumpableUniformRandomProvider) RandomSource.XO_RO_SHI_RO_128_PP.create(spec.seed());
        this.persona = draw(spec.personaTokens(), base.jump(), n);
        this.actionTicks = spec.plan().actionTicks().sampler(base.jump());
        this.interrupts = base.jump();
        this.observation = spec.observationTokens().sampler(base.jump());
        this.output = spec.outputTokens().sampler(base.jump());
        this.ticksPerStep = spec.plan().ticksPerStep();
        this.interruptProb = spec.plan().interruptProb();
        UniformRandomProvider phase = base.jump();
        this.remainingTicks = new int[n];
        for (int a = 0; a < n; a++) {
            remainingTicks[a] = (int) Math.floor(phase.nextDouble() * actionTicks.sample());
        }
    }

    static int[] draw(LengthDistribution d, UniformRandomProvider rng, int n) {
        DiscreteSampler s = d.sampler(rng);
        int[] out = new int[n];
        for (int a = 0; a < n; a++) {
            out[a] = s.sample();
        }
        return out;
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
        int n = spec.agents();
        IntArrayList active = new IntArrayList();
        for (int a = 0; a < n; a++) {
            boolean interrupted = interruptProb > 0 && interrupts.nextDouble() < interruptProb;
            if (remainingTicks[a] <= 0 || interrupted) {
                active.add(a);
                remainingTicks[a] = actionTicks.sample();
            }
        }
        int[] distance = new int[n];
        for (int a = 0; a < n; a++) {
            distance[a] = ceilDiv(remainingTicks[a], ticksPerStep);
        }
        int[] agents = active.toIntArray();
        int[] input = new int[agents.length];
        int[] out = new int[agents.length];
        for (int i = 0; i < agents.length; i++) {
            distance[agents[i]] = 0;
            input[i] = contexts.contextTokens(agents[i]) + observation.sample();
            out[i] = output.sample();
        }
        for (int a = 0; a < n; a++) {
            remainingTicks[a] -= ticksPerStep;
        }
        return new WorldStep(produced++, agents, input, out, InvocationHints.of(produced - 1, distance));
    }

    private static int ceilDiv(int ticks, int perStep) {
        return ticks <= 0 ? 0 : (ticks + perStep - 1) / perStep;
    }

    @Override
    public void close() {
    }
}
