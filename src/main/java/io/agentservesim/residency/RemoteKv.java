package io.agentservesim.residency;

/**
 * A prompt's KV computed on a prefill instance and still to be pulled into the decode instance that
 * admits the request (prefill/decode disaggregation). The decode instance reads it when it admits the
 * request, into blocks it allocates then, as vLLM's NixlConnector does: the scheduler counts the tokens
 * the remote side holds beyond its own prefix-cache hits ({@code get_num_new_matched_tokens}), allocates
 * their blocks, and parks the request in WAITING_FOR_REMOTE_KVS until the read completes
 * (docs.vllm.ai, "Disaggregated Prefilling" and "NixlConnector Usage Guide"). Only the tokens the decode
 * instance does not already cache cross the link; each tensor-parallel rank moves its shard over its own
 * link in parallel, so the transfer takes bytes / TP of the link's time (DistServe, OSDI '24, section 4.3:
 * KV transfer volume and bandwidth between phases).
 */
public final class RemoteKv {
    private final Link link;
    private final long bytesPerTokenPerRank;
    private int tokens;
    private long bytes;
    private long startNs = -1;
    private long readyNs = -1;

    /** @param bytesPerTokenPerRank KV bytes of one token on one tensor-parallel rank */
    public RemoteKv(Link link, long bytesPerTokenPerRank) {
        this.link = link;
        this.bytesPerTokenPerRank = bytesPerTokenPerRank;
    }

    /** Starts reading {@code numTokens} tokens' KV at {@code now}; returns when they are on the decode GPU. */
    long start(int numTokens, long now) {
        tokens = numTokens;
        bytes = numTokens * bytesPerTokenPerRank;
        startNs = now;
        readyNs = link.transfer(now, bytes);
        return readyNs;
    }

    /** Whether the read happened (false when the decode instance already cached the whole prompt). */
    public boolean started() { return startNs >= 0; }
    public int tokens() { return tokens; }
    /** Bytes one rank moved over the link. */
    public long bytes() { return bytes; }
    public long startNs() { return startNs; }
    public long readyNs() { return readyNs; }
}
