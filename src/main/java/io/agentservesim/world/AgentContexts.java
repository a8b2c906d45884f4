package io.agentservesim.world;

/**
 * What each agent's prompt looks like, token by token, without storing any token: shared prefix (the world's
 * rules), persona (private, fixed), memory (private, grows by each call's output), then the call's fresh
 * tokens (its observation). Token ids are a hash of (segment, position), so an agent's next prompt repeats
 * the ids of its shared prefix, persona and earlier memory exactly and prefix caching reuses that KV, while
 * every observation is new.
 *
 * <p>With per-agent LoRA adapters the shared prefix is hashed per agent: the adapter changes the K and V
 * projections, so two agents' KV of the same text differs, and SGLang's LoRA radix cache keys its nodes by
 * (lora id, tokens) for that reason (PanZaifeng/KVFlow {@code mem_cache/lora_radix_cache.py}, {@code LoRAKey}).
 * A memory past {@code memoryMaxTokens} is replaced by a summary of half that size in fresh tokens, so its KV
 * is recomputed once, as a simulation that summarises its agents' memories does.
 */
public final class AgentContexts {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long SHARED = 1;
    private static final long PERSONA = 2;
    private static final long MEMORY = 3;
    private static final long OBSERVATION = 4;

    private final int shared;
    private final int[] persona;
    private final int[] memory;
    private final int[] memoryEpoch;
    private final int[] calls;
    private final Integer memoryMax;
    private final int vocab;
    private final long seed;
    private final boolean privateSharedPrefix;

    /**
     * @param privateSharedPrefix whether each agent's KV of the shared prefix is its own (per-agent adapters)
     */
    public AgentContexts(WorldSource source, int vocabSize, long seed, boolean privateSharedPrefix) {
        int n = source.agents();
        this.shared = source.sharedPrefixTokens();
        this.persona = new int[n];
        for (int a = 0; a < n; a++) {
            persona[a] = source.personaTokens(a);
        }
        this.memory = new int[n];
        this.memoryEpoch = new int[n];
        this.calls = new int[n];
        this.memoryMax = source.memoryMaxTokens();
        this.vocab = vocabSize;
        this.seed = seed;
        this.privateSharedPrefix = privateSharedPrefix;
    }

    public int agents() {
        return persona.length;
    }

    /** Tokens of the agent's context now: shared prefix + persona + memory. */
    public int contextTokens(int agent) {
        return shared + persona[agent] + memory[agent];
    }

    public int memoryTokens(int agent) {
        return memory[agent];
    }

    /** Calls the agent has made so far. */
    public int calls(int agent) {
        return calls[agent];
    }

    /**
     * The token ids of the agent's next call, prompt ({@code input} tokens: the first of its context, then fresh
     * ones) followed by its output's; counts the call.
     */
    public int[] callIds(int agent, int input, int output) {
        int[] ids = new int[input + output];
        int ctx = contextTokens(agent);
        int reused = Math.min(input, ctx);
        for (int i = 0; i < reused; i++) {
            ids[i] = contextId(agent, i);
        }
        long obsKey = key(OBSERVATION, agent, calls[agent]);
        for (int i = reused; i < input; i++) {
            ids[i] = id(obsKey, i - reused);
        }
        long memKey = key(MEMORY, agent, memoryEpoch[agent]);
        for (int j = 0; j < output; j++) {
            ids[input + j] = id(memKey, memory[agent] + j);
        }
        calls[agent]++;
        return ids;
    }

    /** The call's output joins the agent's memory (summarised when it outgrows the cap). */
    public void append(int agent, int output) {
        memory[agent] += output;
        if (memoryMax != null && memory[agent] > memoryMax) {
            memoryEpoch[agent]++;
            memory[agent] = memoryMax / 2;
        }
    }

    private int contextId(int agent, int position) {
        if (position < shared) {
            return id(key(SHARED, privateSharedPrefix ? agent : -1, 0), position);
        }
        int p = position - shared;
        if (p < persona[agent]) {
            return id(key(PERSONA, agent, 0), p);
        }
        return id(key(MEMORY, agent, memoryEpoch[agent]), p - persona[agent]);
    }

    private long key(long segment, long agent, long epoch) {
        return mix(mix(mix(seed ^ segment * GOLDEN) ^ (agent + 1) * GOLDEN) ^ (epoch + 1));
    }

    private int id(long key, int position) {
        return (int) Long.remainderUnsigned(mix(key ^ (position + 1L) * GOLDEN), vocab);
    }

    /** splitmix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
