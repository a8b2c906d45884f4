package io.agentservesim.sim;

import io.agentservesim.engine.EngineInstance;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.router.InstanceView;

/** One engine core (a data-parallel rank) as vLLM's front end sees it when it balances arriving requests. */
record RankView(EngineInstance engine) implements InstanceView {
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
        return (double) engine.pool().numUsedBlocks() / Math.max(1, engine.pool().numUsableBlocks());
    }

    @Override
    public int cachedPrefixTokens(KvSequence seq, int numTokens) {
        return engine.pool().findCachedPrefixTokens(seq, numTokens);
    }
}
