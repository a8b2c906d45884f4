package io.agentservesim.workload;

import java.util.NoSuchElementException;
import org.apache.commons.rng.JumpableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Generates requests from a {@link SyntheticWorkloadSpec} on demand, so a workload too large to
 * store costs memory only for the request being handed out. Poisson arrivals, lengths from the
 * spec's distributions, and, like vLLM's {@code --random-prefix-len}, a shared prefix prepended to
 * the prompt of a chosen fraction of requests so that prefix caching has something to hit.
 *
 * <p>Deterministic: one seed gives one sequence. Each quantity (arrivals, input lengths, output
 * lengths, prefix choice, prompt ids) draws from its own non-overlapping jump of one
 * XoRoShiRo128++ stream, so switching {@code token_ids} on does not change lengths or arrivals.
 */
public final class SyntheticWorkload implements RequestSource {
    private static final double NANOS_PER_SECOND = 1e9;

    private final SyntheticWorkloadSpec spec;
    private final ContinuousSampler interArrivalNs;
    private final DiscreteSampler inputLength;
    private final DiscreteSampler outputLength;
    private final UniformRandomProvider prefixChoice;
    private final UniformRandomProvider tokenIds;
    private final int[] sharedPrefix;
    private double arrivalNs;
    private int produced;

    public SyntheticWorkload(SyntheticWorkloadSpec spec) {
        this.spec = spec.validate(null, "");
        JumpableUniformRandomProvider base =
                (JumpableUniformRandomProvider) RandomSource.XO_RO_SHI_RO_128_PP.create(spec.seed());
        this.interArrivalNs = spec.allAtTimeZero()
                ? () -> 0
                : ZigguratSampler.Exponential.of(base.jump(), NANOS_PER_SECOND / spec.ratePerSec());
        this.inputLength = spec.input().sampler(base.jump());
        this.outputLength = spec.output().sampler(base.jump());
        this.prefixChoice = base.jump();
        this.tokenIds = base.jump();
        UniformRandomProvider prefixIds = base.jump();
        this.sharedPrefix = new int[spec.sharedPrefixTokens()];
        for (int i = 0; i < sharedPrefix.length; i++) {
            sharedPrefix[i] = prefixIds.nextInt(spec.vocabSize());
        }
    }

    public SyntheticWorkloadSpec spec() {
        return spec;
    }

    @Override
    public long expectedRequests() {
        return spec.numRequests();
    }

    @Override
    public boolean hasNext() {
        return produced < spec.numRequests();
    }

    @Override
    public RequestSpec next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + spec.numRequests() + " synthetic requests were produced");
        }
        arrivalNs += interArrivalNs.sample();
        boolean shares = sharedPrefix.length > 0 && prefixChoice.nextDouble() < spec.sharedPrefixFraction();
        int prefix = shares ? sharedPrefix.length : 0;
        long input = (long) prefix + inputLength.sample();
        if (input > Integer.MAX_VALUE) {
            throw new IllegalStateException("prompt of " + input + " tokens does not fit an int");
        }
        int output = outputLength.sample();
        int[] ids = null;
        if (spec.tokenIds()) {
            ids = new int[(int) input];
            System.arraycopy(sharedPrefix, 0, ids, 0, prefix);
            for (int i = prefix; i < ids.length; i++) {
                ids[i] = tokenIds.nextInt(spec.vocabSize());
            }
        }
        return new RequestSpec(produced++, Math.round(arrivalNs), (int) input, output, ids);
    }

    /** Nothing to release; present so a synthetic workload can stand wherever a trace file can. */
    @Override
    public void close() {
    }
}
