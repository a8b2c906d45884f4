package io.agentservesim.sched;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.engine.Request;
import java.util.List;

/**
 * Autellix's multi-level feedback queue (Luo et al., "Autellix: An Efficient Serving Engine for LLM Agents as
 * General Programs", arXiv 2502.13965, §4.2, Algorithm 1; rules as the AgentServeSim artifact's
 * {@code policies/autellix_runtime.py} implements them). K queues split by service boundaries:
 * <ul>
 *   <li>a call (turn) enters the queue its program's attained service falls in (PLAS, discretised), with
 *       that queue's quantum; FIFO within a queue, lower queues first;</li>
 *   <li>every step it runs is charged to its quantum; a call whose quantum is spent is demoted one queue
 *       (with the new queue's quantum);</li>
 *   <li>anti-starvation: a waiting call whose wait reaches {@code starvation_ratio} x (its program's service
 *       + its own) is promoted to the first queue (waiting calls are re-stamped every
 *       {@code rekey_interval_s});</li>
 *   <li>a running call demoted below the first waiting call's queue yields to it (one per step, as the
 *       artifact bounds plan preemptions), by recompute, or with {@code swap_on_preempt} and a host tier by
 *       a copy to host memory that its readmission restores; the memory-pressure victim is the running call
 *       in the worst queue, the latest on a tie (vLLM's priority rule).</li>
 * </ul>
 * Left out: the paper's program-level wait accounting (here a call's own wait since it last entered the
 * queue is weighed against its program's service plus its execution in its present queue) and its
 * multi-step look-ahead. The default boundaries and quanta are ours (the artifact requires them on its
 * command line; the paper gives no values): boundaries 1, 10, 100 s of attained service, quanta 0.5, 2,
 * 8, 32 s, ratio 2.
 */
public final class AutellixMlfqPolicy implements SchedulingPolicy {
    public static final String NAME = "autellix-mlfq";
    private static final double NS = 1e9;

    /** {@code scheduling.settings.autellix-mlfq}. */
    public record Settings(@JsonProperty("service_boundaries_s") double[] serviceBoundariesS,
                           @JsonProperty("quanta_s") double[] quantaS,
                           @JsonProperty("starvation_ratio") double starvationRatio,
                           @JsonProperty("rekey_interval_s") double rekeyIntervalS,
                           @JsonProperty("swap_on_preempt") boolean swapOnPreempt) {
        public static final Settings DEFAULTS = new Settings(new double[] {1, 10, 100}, new double[] {0.5, 2, 8, 32},
                2.0, 0.1, false);

        public Settings {
            if (serviceBoundariesS == null || quantaS == null || quantaS.length != serviceBoundariesS.length + 1) {
                throw new IllegalArgumentException("quanta_s: expected one quantum per queue, one more than service_boundaries_s");
            }
            for (int i = 0; i < serviceBoundariesS.length; i++) {
                if (!(serviceBoundariesS[i] > 0) || Double.isInfinite(serviceBoundariesS[i])
                        || (i > 0 && serviceBoundariesS[i] <= serviceBoundariesS[i - 1])) {
                    throw new IllegalArgumentException("service_boundaries_s: expected increasing seconds > 0");
                }
            }
            for (double q : quantaS) {
                if (!(q > 0) || Double.isInfinite(q)) {
                    throw new IllegalArgumentException("quanta_s: expected seconds > 0, got " + q);
                }
            }
            if (!(starvationRatio > 0) || Double.isInfinite(starvationRatio)) {
                throw new IllegalArgumentException("starvation_ratio: expected a number > 0, got " + starvationRatio);
            }
            if (!(rekeyIntervalS > 0) || Double.isInfinite(rekeyIntervalS)) {
                throw new IllegalArgumentException("rekey_interval_s: expected seconds > 0, got " + rekeyIntervalS);
            }
        }
    }

    private final long[] boundariesNs;
    private final long[] quantaNs;
    private final double starvationRatio;
    private final long rekeyIntervalNs;
    private final boolean swapOnPreempt;

    public AutellixMlfqPolicy(Settings s) {
        boundariesNs = new long[s.serviceBoundariesS().length];
        for (int i = 0; i < boundariesNs.length; i++) {
            boundariesNs[i] = Math.round(s.serviceBoundariesS()[i] * NS);
        }
        quantaNs = new long[s.quantaS().length];
        for (int i = 0; i < quantaNs.length; i++) {
            quantaNs[i] = Math.round(s.quantaS()[i] * NS);
        }
        starvationRatio = s.starvationRatio();
        rekeyIntervalNs = Math.round(s.rekeyIntervalS() * NS);
        swapOnPreempt = s.swapOnPreempt();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The queue of a call whose program has attained {@code serviceNs}: how many boundaries it has reached. */
    public int queueOf(long serviceNs) {
        int q = 0;
        while (q < boundariesNs.length && serviceNs >= boundariesNs[q]) {
            q++;
        }
        return q;
    }

    private static long service(Request r) {
        return r.program() == null ? 0 : r.program().attainedServiceNs();
    }

    /** On entering the queue: a new call takes its program's queue and quantum; a preempted one keeps its own. */
    @Override
    public long priority(Request r) {
        if (r.policyLevel() < 0) {
            int q = queueOf(service(r));
            r.setPolicyLevel(q);
            r.setPolicyBudgetNs(quantaNs[q]);
            r.setPolicyMarkNs(r.arrivalNs());
        }
        return r.policyLevel();
    }

    /** Waiting calls that starved go to the first queue with its quantum, their wait counted afresh. */
    @Override
    public long rekey(Request r, long now) {
        if (r.policyMarkNs() == Long.MAX_VALUE) {
            r.setPolicyMarkNs(now); // preempted since the last re-stamp: its wait starts now
            return r.policyLevel();
        }
        long served = service(r) + Math.max(0, quantaNs[r.policyLevel()] - r.policyBudgetNs());
        if (r.policyLevel() > 0 && served > 0 && now - r.policyMarkNs() >= starvationRatio * served) {
            r.setPolicyLevel(0);
            r.setPolicyBudgetNs(quantaNs[0]);
            r.setPolicyMarkNs(now);
        }
        return r.policyLevel();
    }

    @Override
    public long rekeyIntervalNs() {
        return rekeyIntervalNs;
    }

    /** Every running call is charged the step; one whose quantum is spent moves down a queue. */
    @Override
    public void onStepLaunched(List<Request> running, long now, long durationNs) {
        int last = quantaNs.length - 1;
        for (int i = 0, n = running.size(); i < n; i++) {
            Request r = running.get(i);
            if (r.policyLevel() < 0) {
                continue;
            }
            long left = r.policyBudgetNs() - durationNs;
            if (left <= 0) {
                int q = Math.min(r.policyLevel() + 1, last);
                r.setPolicyLevel(q);
                left = quantaNs[q];
            }
            r.setPolicyBudgetNs(left);
        }
    }

    /** The running call in the worst queue yields when the head of the waiting queue sits in a better one. */
    @Override
    public int yieldIndex(List<Request> running, Request waitingHead) {
        int head = waitingHead.policyLevel();
        int worst = -1;
        for (int i = running.size() - 1; i >= 0; i--) {
            Request r = running.get(i);
            if (r.policyLevel() > head && (worst < 0 || r.policyLevel() > running.get(worst).policyLevel())) {
                worst = i;
            }
        }
        if (worst >= 0) {
            running.get(worst).setPolicyMarkNs(Long.MAX_VALUE); // its wait is stamped at the next re-stamp
        }
        return worst;
    }

    /** Pressure victim: the worst queue, the latest-admitted on a tie. */
    @Override
    public int victimIndex(List<Request> running) {
        int worst = running.size() - 1;
        for (int i = worst - 1; i >= 0; i--) {
            if (running.get(i).policyLevel() > running.get(worst).policyLevel()) {
                worst = i;
            }
        }
        if (worst >= 0) {
            running.get(worst).setPolicyMarkNs(Long.MAX_VALUE);
        }
        return worst;
    }

    @Override
    public boolean swapOnPreempt() {
        return swapOnPreempt;
    }
}
