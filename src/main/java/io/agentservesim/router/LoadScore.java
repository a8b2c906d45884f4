package io.agentservesim.router;

import java.util.List;

/**
 * vLLM's data-parallel load score, {@code 4 × waiting + running}, and the least-loaded pick over it.
 * Shared by {@link LoadRouter} and the fallbacks of {@link AffinityRouter} and {@link PrefixAwareRouter}.
 */
final class LoadScore {
    static final int WAITING_WEIGHT = 4;

    private LoadScore() {
    }

    static long of(InstanceView instance) {
        return (long) WAITING_WEIGHT * instance.numWaiting() + instance.numRunning();
    }

    /** Index of the instance with the least score; ties go to the lowest index. */
    static int leastLoaded(List<? extends InstanceView> instances) {
        requireAny(instances);
        int best = 0;
        long bestScore = of(instances.get(0));
        for (int i = 1, n = instances.size(); i < n; i++) {
            long score = of(instances.get(i));
            if (score < bestScore) {
                bestScore = score;
                best = i;
            }
        }
        return best;
    }

    static void requireAny(List<? extends InstanceView> instances) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("no instance to route to");
        }
    }
}
