package io.agentservesim.router;

import java.util.List;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Uniform random choice from a seeded xoroshiro128++ stream: the same seed gives the same routes. A
 * baseline (SGLang router {@code random} policy); it reads neither load nor cache.
 */
public final class RandomRouter implements Router {
    public static final String NAME = "random";

    private final UniformRandomProvider rng;

    public RandomRouter(long seed) {
        this.rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        LoadScore.requireAny(instances);
        return rng.nextInt(instances.size());
    }
}
