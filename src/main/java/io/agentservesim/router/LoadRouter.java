package io.agentservesim.router;

import java.util.List;

/**
 * vLLM's internal data-parallel load balancing: the instance with the least {@code 4 × waiting + running}
 * wins, ties to the lowest index.
 *
 * <p>Source: {@code DPLBAsyncMPClient.get_core_engine_for_request} in
 * {@code vllm/v1/engine/core_client.py} (vllm-project/vllm at 364631ab): {@code score = waiting * 4 +
 * running}, strict {@code <} over the engines in scan order. Left out: vLLM scans from a per-client start
 * index (only one front end here, so the scan starts at 0), and it adds to the chosen engine's waiting
 * count locally between the coordinator's 100 ms stats snapshots; the simulator reads live counts, so that
 * correction has nothing to correct. Newer vLLM (00080ee) replaced this score with
 * {@code max(in-flight, waiting + running)} plus a KV-usage-scaled waiting penalty; not modelled here.
 */
public final class LoadRouter implements Router {
    public static final String NAME = "load";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int route(TurnToRoute turn, List<? extends InstanceView> instances) {
        return LoadScore.leastLoaded(instances);
    }
}
