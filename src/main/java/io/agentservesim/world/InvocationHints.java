package io.agentservesim.world;

import java.util.Arrays;

/**
 * The invocation-distance hints a multi-agent simulation publishes at the start of each world step: for each
 * agent, its estimate of how many steps remain until the agent next calls the LLM (0: it calls in this step),
 * or {@link #UNKNOWN}. This is the simulation's own plan, which ScaleSim's engine legitimately reads (ScaleSim,
 * arXiv 2601.21473, section "Invocation distance"; PanZaifeng/KVFlow {@code SScheduler/Scheduler.py} sends the
 * same map to the engine's {@code /v1/update}). It is an estimate: an agent may be activated earlier than its
 * hint said (an interaction cuts its action short).
 *
 * <p>A separate channel from the trace's hidden future: it says nothing about a call's tokens, outputs or
 * timing, and it reaches only the policies that implement {@code residency.PlanAware}; the retention context,
 * program handles, routers and scheduling policies carry no reference to it. Immutable.
 */
public final class InvocationHints {
    /** The agent's distance is not known (beyond the simulation's horizon). */
    public static final int UNKNOWN = -1;

    private final int step;
    private final int[] distance;

    private InvocationHints(int step, int[] distance) {
        this.step = step;
        this.distance = distance;
    }

    /** Hints for world step {@code step}: {@code distances[a]} for agent a ({@link #UNKNOWN} or >= 0); copied. */
    public static InvocationHints of(int step, int[] distances) {
        int[] d = distances.clone();
        for (int a = 0; a < d.length; a++) {
            if (d[a] < UNKNOWN) {
                throw new IllegalArgumentException("agent " + a + ": distance " + d[a] + " < 0");
            }
        }
        return new InvocationHints(step, d);
    }

    /** No hints (every agent unknown). */
    public static InvocationHints none(int step, int agents) {
        int[] d = new int[agents];
        Arrays.fill(d, UNKNOWN);
        return new InvocationHints(step, d);
    }

    public int step() {
        return step;
    }

    public int agents() {
        return distance.length;
    }

    /** Steps until agent {@code agent} next calls (0: in this step), or {@link #UNKNOWN}. */
    public int distance(int agent) {
        return agent >= 0 && agent < distance.length ? distance[agent] : UNKNOWN;
    }

    /** Agents with a known distance of at most {@code maxDistance}, nearest first, ties by agent id. */
    public int[] dueWithin(int maxDistance) {
        if (maxDistance < 0) {
            return new int[0];
        }
        int[] count = new int[maxDistance + 2];
        for (int d : distance) {
            if (d != UNKNOWN && d <= maxDistance) {
                count[d + 1]++;
            }
        }
        for (int i = 1; i < count.length; i++) {
            count[i] += count[i - 1];
        }
        int[] out = new int[count[count.length - 1]];
        for (int a = 0; a < distance.length; a++) {
            int d = distance[a];
            if (d != UNKNOWN && d <= maxDistance) {
                out[count[d]++] = a;
            }
        }
        return out;
    }
}
