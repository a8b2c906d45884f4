package io.agentservesim.perf.roofline;

/**
 * The operators the roofline prices, named as in LLMServingSim's profile bundles ({@code dense.csv},
 * {@code per_sequence.csv}, {@code moe.csv}) so each can be checked against its measured table, with
 * the class they are reported under in the validation.
 */
public enum Op {
    QKV("qkv_proj", OpClass.GEMM),
    O_PROJ("o_proj", OpClass.GEMM),
    GATE_UP("gate_up_proj", OpClass.GEMM),
    DOWN("down_proj", OpClass.GEMM),
    LAYERNORM("layernorm", OpClass.ELEMENTWISE),
    ROTARY("rotary_emb", OpClass.ELEMENTWISE),
    ACT("act_fn", OpClass.ELEMENTWISE),
    EMBEDDING("embedding", OpClass.ELEMENTWISE),
    FINAL_NORM("final_layernorm", OpClass.ELEMENTWISE),
    MOE("moe", OpClass.MOE),
    LM_HEAD("lm_head", OpClass.LM_HEAD),
    SAMPLER("sampler", OpClass.SAMPLER);

    /** Groups the validation reports errors for. */
    public enum OpClass { GEMM, ELEMENTWISE, MOE, LM_HEAD, SAMPLER, ATTENTION_PREFILL, ATTENTION_DECODE, ATTENTION_MIXED }

    private final String profileName;
    private final OpClass opClass;

    Op(String profileName, OpClass opClass) {
        this.profileName = profileName;
        this.opClass = opClass;
    }

    /** The op's name in an LLMServingSim bundle. */
    public String profileName() { return profileName; }

    public OpClass opClass() { return opClass; }

    /** True for ops indexed by sequences (per_sequence.csv) rather than tokens. */
    public boolean perSequence() { return this == LM_HEAD || this == SAMPLER; }
}
