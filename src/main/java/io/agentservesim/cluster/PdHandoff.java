package io.agentservesim.cluster;

import io.agentservesim.engine.Request;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.residency.RemoteKv;
import io.agentservesim.router.Router;
import io.agentservesim.router.TurnToRoute;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.util.List;

/**
 * Prefill/decode disaggregation (DistServe, OSDI '24; Splitwise, ISCA '24; vLLM's disaggregated prefilling
 * with a KV connector): a turn's prompt runs on a prefill instance, which samples the first token; its
 * decode then moves to a decode instance that the decode router picks. The decode instance receives the
 * request as the prompt plus that first token, with the prompt's KV to be read from the prefill instance
 * over the decode instance's {@code pd_link} ({@link RemoteKv}): it allocates blocks for it at admission
 * and waits for the read (vLLM's WAITING_FOR_REMOTE_KVS), then its first step computes the first token's
 * KV and samples the second. TTFT is when the decode instance holds the prompt's KV and the first token,
 * split into prefill queueing, prefill, decode queueing (waiting for admission, blocks) and KV transfer:
 * in vLLM's disaggregated serving the prefill request runs with max_tokens=1 and the response streams
 * from the decode instance, so the transfer is in the time to the first token the client sees (DistServe
 * and Splitwise return the first token from the prefill machine instead; there TTFT would end at the
 * prefill). What it buys is vLLM's stated aim, "controlling tail ITL": decode steps carry no prefill
 * chunks (docs.vllm.ai/en/latest/features/disagg_prefill). Keeps one entry per turn in its decode phase.
 */
final class PdHandoff {
    /** What the prefill phase of a turn did, kept until its decode phase ends. */
    record PrefillPhase(int instance, long arrivalNs, long firstScheduledNs, long firstTokenNs, int hitTokens,
                        int preemptions, long restoredBytes, RemoteKv kv) {
    }

    private final List<ClusterInstance> decode;
    private final Router router;
    private final Int2ObjectOpenHashMap<PrefillPhase> inDecode = new Int2ObjectOpenHashMap<>();

    /** @param decode the decode instances, each with its incoming KV link */
    PdHandoff(List<ClusterInstance> decode, Router router) {
        this.decode = decode;
        this.router = router;
    }

    /** Whether some decode instance's KV pool can hold {@code tokens} tokens. */
    boolean fitsAnyDecode(long tokens) {
        return !Placement.fitting(decode, tokens).isEmpty();
    }

    /**
     * The prefill request {@code p} sampled its first token: routes the decode phase and submits it as
     * request {@code requestId} whose prompt is the turn's prompt plus that token.
     */
    void handOff(ProgramState st, int prefillInstance, Request p, int turnIndex, String toolName, int outputTokens,
                 KvSequence kv, int requestId, long now) {
        int prompt = p.promptTokens() + 1;
        int rest = outputTokens - 1;
        List<ClusterInstance> candidates = Placement.fitting(decode, (long) prompt + rest);
        int local = router.route(new TurnToRoute(st.denseId, turnIndex, Placement.localIndex(candidates,
                st.homeInstance), kv, prompt), candidates);
        ClusterInstance target = candidates.get(local);
        RemoteKv remote = new RemoteKv(target.kvLink,
                ceilDiv(target.spec.model().kvBytesPerToken(), target.spec.tensorParallelSize()));
        target.residency.expectRemote(requestId, remote);
        inDecode.put(requestId, new PrefillPhase(prefillInstance, p.arrivalNs(), p.firstScheduledNs(),
                p.firstTokenNs(), p.prefixHitTokens(), p.preemptions(), p.restoredBytes(), remote));
        target.engine.submitTurn(requestId, now, prompt, rest, kv, st, turnIndex, toolName);
    }

    /** The prefill phase of the decode request {@code d}, now finished; forgotten after this call. */
    PrefillPhase finish(Request d) {
        return inDecode.remove(d.id());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
