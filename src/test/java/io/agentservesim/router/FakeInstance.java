package io.agentservesim.router;

import io.agentservesim.kv.KvSequence;
import java.util.List;

/** A hand-set instance: fixed queue lengths, KV pressure and cached prefix (capped at the prompt). */
record FakeInstance(int id, int numWaiting, int numRunning, double kvPressure, int cachedTokens)
        implements InstanceView {

    static FakeInstance load(int id, int waiting, int running) {
        return new FakeInstance(id, waiting, running, 0.0, 0);
    }

    @Override
    public int cachedPrefixTokens(KvSequence seq, int numTokens) {
        return Math.min(cachedTokens, numTokens);
    }

    /** A turn of program 7 with the given home and a 1000-token prompt. */
    static TurnToRoute turn(int home) {
        return new TurnToRoute(7, 1, home, new KvSequence(null, 7L), 1000);
    }

    static List<FakeInstance> idle(int n) {
        FakeInstance[] all = new FakeInstance[n];
        for (int i = 0; i < n; i++) {
            all[i] = load(i, 0, 0);
        }
        return List.of(all);
    }
}
