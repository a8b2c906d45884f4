package io.agentservesim.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Which instances of a (possibly heterogeneous) cluster can take a turn: those whose whole KV pool holds
 * its tokens, as vLLM refuses a request longer than the pool. Routers choose among them; a program's home
 * instance is translated to its index in that list.
 */
final class Placement {
    private Placement() {
    }

    /** {@code instances} itself when every one fits (the usual case), else the ones that fit, in order. */
    static List<ClusterInstance> fitting(List<ClusterInstance> instances, long tokens) {
        int fit = 0;
        for (ClusterInstance c : instances) {
            if (fits(c, tokens)) {
                fit++;
            }
        }
        if (fit == instances.size()) {
            return instances;
        }
        List<ClusterInstance> out = new ArrayList<>(fit);
        for (ClusterInstance c : instances) {
            if (fits(c, tokens)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean fits(ClusterInstance c, long tokens) {
        long bs = c.engine.config().blockSize();
        return (tokens + bs - 1) / bs <= c.engine.pool().numUsableBlocks();
    }

    /** Index in {@code instances} of the instance with id {@code globalId}, or -1 (none, or not among them). */
    static int localIndex(List<ClusterInstance> instances, int globalId) {
        if (globalId < 0) {
            return -1;
        }
        for (int i = 0, n = instances.size(); i < n; i++) {
            if (instances.get(i).id() == globalId) {
                return i;
            }
        }
        return -1;
    }
}
