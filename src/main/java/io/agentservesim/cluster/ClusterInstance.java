package io.agentservesim.cluster;

import io.agentservesim.engine.EngineInstance;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.residency.KvResidency;
import io.agentservesim.router.InstanceView;

/** One serving instance of the cluster: its engine and its KV Residency Model, as routers see it. */
final class ClusterInstance implements InstanceView {
    final EngineInstance engine;
    final KvResidency residency;

    ClusterInstance(EngineInstance engine, KvResidency residency) {
        this.engine = engine;
        this.residency = residency;
        residency.attach(engine);
    }

    @Override
    public int id() {
        return engine.instanceId();
    }

    @Override
    public int numWaiting() {
        return engine.scheduler().numWaiting() + engine.numLoading();
    }

    @Override
    public int numRunning() {
        return engine.scheduler().numRunning();
    }

    @Override
    public double kvPressure() {
        return residency.pressure();
    }

    @Override
    public int cachedPrefixTokens(KvSequence seq, int numTokens) {
        return engine.pool().findCachedPrefixTokens(seq, numTokens);
    }
}
