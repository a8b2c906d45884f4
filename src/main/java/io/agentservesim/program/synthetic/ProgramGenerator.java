package io.agentservesim.program.synthetic;

import io.agentservesim.program.Program;
import io.agentservesim.program.ProgramSource;
import io.agentservesim.program.TokenIds;
import io.agentservesim.program.Turn;
import io.agentservesim.tool.ToolSimulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.commons.rng.JumpableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.DiscreteProbabilityCollectionSampler;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Generates agent programs from a {@link ProgramWorkloadSpec} on demand, one live program at a time:
 * Poisson program arrivals, a chain of turns whose context grows by each turn's output plus its
 * tool's output (so turn k+1's prompt ids are turn k's prompt ids + its output ids + the tool output
 * ids, and prefix caching sees the shared prefix), then the {@link ToolSimulator} decides the gaps
 * (drawn per tool) and any failures with their retry turns. The ids of one program share one array.
 *
 * <p>Deterministic: one seed; arrivals, turn counts, first prompts, outputs, tool choice, token ids
 * and the tool simulator's seed each come from their own jump of one XoRoShiRo128++ stream, so
 * switching token ids off changes no count or gap.
 */
public final class ProgramGenerator implements ProgramSource {
    private static final double NANOS_PER_SECOND = 1e9;

    private final ProgramWorkloadSpec spec;
    private final ContinuousSampler interArrivalNs;
    private final DiscreteSampler turnCount;
    private final DiscreteSampler firstPrompt;
    private final DiscreteSampler output;
    private final DiscreteProbabilityCollectionSampler<String> toolChoice;
    private final UniformRandomProvider ids;
    private final ToolSimulator tools;
    private double arrivalNs;
    private int produced;

    public ProgramGenerator(ProgramWorkloadSpec spec) {
        this.spec = spec;
        ProgramShape shape = spec.validate(null, "");
        JumpableUniformRandomProvider base =
                (JumpableUniformRandomProvider) RandomSource.XO_RO_SHI_RO_128_PP.create(spec.seed());
        boolean allAtZero = spec.programsPerSec() == 0 || Double.isInfinite(spec.programsPerSec());
        UniformRandomProvider arrivals = base.jump();
        this.interArrivalNs = allAtZero ? () -> 0
                : ZigguratSampler.Exponential.of(arrivals, NANOS_PER_SECOND / spec.programsPerSec());
        this.turnCount = shape.turns().sampler(base.jump());
        this.firstPrompt = shape.firstPromptTokens().sampler(base.jump());
        this.output = shape.outputTokens().sampler(base.jump());
        Map<String, Double> mix = shape.toolMix();
        this.toolChoice = new DiscreteProbabilityCollectionSampler<>(base.jump(), mix);
        this.ids = base.jump();
        this.tools = new ToolSimulator(shape.tools().withSeed(base.jump().nextLong()));
    }

    public ProgramWorkloadSpec spec() {
        return spec;
    }

    @Override
    public long expectedPrograms() {
        return spec.numPrograms();
    }

    @Override
    public boolean hasNext() {
        return produced < spec.numPrograms();
    }

    @Override
    public Program next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + spec.numPrograms() + " synthetic programs were produced");
        }
        arrivalNs += interArrivalNs.sample();
        int n = turnCount.sample();
        int[] input = new int[n];
        int[] out = new int[n];
        String[] tool = new String[n];
        long context = firstPrompt.sample();
        for (int k = 0; k < n; k++) {
            if (context > Integer.MAX_VALUE) {
                throw new IllegalStateException("context of " + context + " tokens does not fit an int");
            }
            input[k] = (int) context;
            out[k] = output.sample();
            if (k < n - 1) {
                tool[k] = toolChoice.sample();
                context += out[k] + tools.toolOutputTokens(tool[k]);
            }
        }
        int[] backing = null;
        if (spec.tokenIds()) {
            backing = new int[input[n - 1] + out[n - 1]];
            for (int i = 0; i < backing.length; i++) {
                backing[i] = ids.nextInt(spec.vocabSize());
            }
        }
        List<Turn> turns = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            TokenIds prompt = backing == null ? null : TokenIds.prefixOf(backing, input[k]);
            TokenIds generated = backing == null ? null : TokenIds.sliceOf(backing, input[k], out[k]);
            turns.add(k == 0 ? Turn.root(0, input[0], out[0], prompt, generated, tool[0])
                    : Turn.chained(k, input[k], out[k], prompt, generated, tool[k], k - 1, 0));
        }
        long id = produced++;
        Program skeleton = new Program(id, spec.preset().key() + "-" + id, Math.round(arrivalNs), turns);
        return tools.apply(skeleton);
    }

    /** Nothing to release; present so a generator can stand wherever a trace can. */
    @Override
    public void close() {
    }
}
