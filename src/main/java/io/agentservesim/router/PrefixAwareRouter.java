package io.agentservesim.router;

import java.util.List;

/**
 * Cache-aware routing: the instance whose GPU prefix cache holds the most of the turn's prompt wins;
 * ties go to the lower load score ({@link LoadScore}), then to the lowest index.
 *
 * <p>The prefix-match half of SGLang's cache-aware router (sgl-project/sglang, router
 * {@code cache_aware} policy) and of KV-aware schedulers for agent programs such as Continuum. Unlike
 * SGLang we read each instance's real prefix cache rather than an approximate radix tree of past
 * requests, and we leave out its balance thresholds (switching to shortest-queue when the cluster is
 * imbalanced) and its match-ratio threshold.
 */
public final class PrefixAwareRouter implements Router {
    public static final String NAME = "prefix-aware";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        LoadScore.requireAny(instances);
        int best = 0;
        InstanceView first = instances.get(0);
        int bestCached = first.cachedPrefixTokens(turn.kv(), turn.promptTokens());
        long bestScore = LoadScore.of(first);
        for (int i = 1, n = instances.size(); i < n; i++) {
            InstanceView instance = instances.get(i);
            int cached = instance.cachedPrefixTokens(turn.kv(), turn.promptTokens());
            long score = LoadScore.of(instance);
            if (cached > bestCached || (cached == bestCached && score < bestScore)) {
                best = i;
                bestCached = cached;
                bestScore = score;
            }
        }
        return best;
    }
}
