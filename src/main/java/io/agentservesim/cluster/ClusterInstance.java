package io.agentservesim.cluster;

import io.agentservesim.config.InstanceSpec;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.residency.KvResidency;
import io.agentservesim.residency.Link;
import io.agentservesim.router.InstanceView;

/**
 * One serving instance of the cluster: its engine, its KV Residency Model, what it was built from (GPU,
 * model, role) and, on a decode instance of a P/D cluster, the link its KV arrives over; as routers see it.
 */
final class ClusterInstance implements InstanceView {
    final EngineInstance engine;
    final KvResidency residency;
    final InstanceSpec spec;
    /** The link prefill instances send KV into this decode instance over; null elsewhere. */
    final Link kvLink;

    ClusterInstance(EngineInstance engine, KvResidency residency, InstanceSpec spec, Link kvLink) {
        this.engine = engine;
        this.residency = residency;
        this.spec = spec;
        this.kvLink = kvLink;
        residency.attach(engine);
    }

    InstanceSpec.Role role() {
        return spec.role();
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
