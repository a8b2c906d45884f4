package io.agentservesim.router;

import java.util.List;

/**
 * SAGA's workflow-atomic placement (Guo, Wu, Yiu, "SAGA: Workflow-Atomic Scheduling for AI Agent Inference on
 * GPU Clusters", HPDC '26, arXiv 2605.00528; the rule of the AgentServeSim artifact's saga-placement router):
 * a turn follows the instance that holds its program's context (the one that ran its previous turn); on
 * first contact, or when that instance already has {@code capacity_limit} turns in flight (waiting plus
 * running), it goes to the least-loaded instance, load being KV utilisation as SAGA measures it (ties: the
 * lowest index). Left out: SAGA's work stealing of waiting turns between instances.
 */
public final class SagaRouter implements Router {
    public static final String NAME = "saga";
    /** Ours (the artifact takes it on its command line): vLLM's default max_num_seqs. */
    public static final int DEFAULT_CAPACITY_LIMIT = 256;

    private final int capacityLimit;

    public SagaRouter(int capacityLimit) {
        this.capacityLimit = capacityLimit;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        int home = turn.homeInstance();
        if (home >= 0) {
            InstanceView h = instances.get(home);
            if (h.numWaiting() + h.numRunning() < capacityLimit) {
                return home;
            }
        }
        LoadScore.requireAny(instances);
        int best = 0;
        for (int i = 1, n = instances.size(); i < n; i++) {
            if (instances.get(i).kvPressure() < instances.get(best).kvPressure()) {
                best = i;
            }
        }
        return best;
    }
}
