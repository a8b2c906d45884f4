package io.agentservesim.perf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny profile bundle whose numbers are simple enough to compute expected step times by hand.
 *
 * <p>Attention: axes prefill_chunk {0,16,32}, kv {0,16,32}, n_decode {0,1,2}; every profiled cell holds
 * {@link #attn}, a function linear in each axis, so multilinear interpolation and extrapolation must
 * reproduce it exactly wherever all corners are profiled cells. Dense ops are lines in tokens.
 */
final class SyntheticBundle {
    static final int[] CHUNKS = {0, 16, 32};
    static final int[] KVS = {0, 16, 32};
    static final int[] NDS = {0, 1, 2};

    private SyntheticBundle() {}

    /** Attention µs at a profiled cell. */
    static double attn(double pc, double kp, double nd, double kd) {
        return 1 + 0.5 * pc + 0.25 * kp + 2 * nd + 0.125 * nd * kd;
    }

    /** Dense op lines: embedding 1+t, final_layernorm 2+t, layernorm 3+2t, qkv_proj 4+3t (tokens 1 and 11). */
    static double layernorm(double t) { return 3 + 2 * t; }
    static double qkv(double t) { return 4 + 3 * t; }
    static double embedding(double t) { return 1 + t; }
    static double finalNorm(double t) { return 2 + t; }
    /** Per-sequence lines: lm_head 10+s, sampler 5+2s (sequences 1 and 3). */
    static double lmHead(double s) { return 10 + s; }
    static double sampler(double s) { return 5 + 2 * s; }

    static Path write(Path root, boolean dropPc32Nd2) {
        try {
            Path tp = Files.createDirectories(root.resolve("tp1"));
            Files.writeString(root.resolve("meta.yaml"), """
                    gpu: Synthetic GPU
                    hardware: SYN
                    model: test-org/tiny
                    tp_degrees: [1]
                    some_unknown_key: {a: 1}
                    engine_effective:
                      max_num_batched_tokens: 32
                      max_num_seqs: 2
                    attention_grid:
                      chunks: 0, 16-32 x2
                      n_decode: 0, 1-2 x2
                      kv: 0, 16-32 x2
                    skew_fit:
                      enabled: false
                    """);
            StringBuilder dense = new StringBuilder("layer,tokens,time_us\n");
            for (int t : new int[] {1, 11}) {
                dense.append("embedding,").append(t).append(',').append(embedding(t)).append('\n');
                dense.append("final_layernorm,").append(t).append(',').append(finalNorm(t)).append('\n');
                dense.append("layernorm,").append(t).append(',').append(layernorm(t)).append('\n');
                dense.append("qkv_proj,").append(t).append(',').append(qkv(t)).append('\n');
            }
            Files.writeString(tp.resolve("dense.csv"), dense);
            StringBuilder seq = new StringBuilder("layer,sequences,time_us\n");
            for (int s : new int[] {1, 3}) {
                seq.append("lm_head,").append(s).append(',').append(lmHead(s)).append('\n');
                seq.append("sampler,").append(s).append(',').append(sampler(s)).append('\n');
            }
            Files.writeString(tp.resolve("per_sequence.csv"), seq);
            StringBuilder att = new StringBuilder("prefill_chunk,kv_prefill,n_decode,kv_decode,time_us\n");
            for (int pc : CHUNKS) {
                for (int kp : KVS) {
                    for (int nd : NDS) {
                        for (int kd : KVS) {
                            boolean valid = (pc > 0 || kp == 0) && (nd > 0 ? kd > 0 : kd == 0) && (pc > 0 || nd > 0);
                            if (!valid || (dropPc32Nd2 && pc == 32 && nd == 2)) {
                                continue;
                            }
                            att.append(pc).append(',').append(kp).append(',').append(nd).append(',').append(kd)
                                    .append(',').append(attn(pc, kp, nd, kd)).append('\n');
                        }
                    }
                }
            }
            // an off-grid sample that must be ignored (it would break exactness if used)
            att.append("24,24,1,24,999\n");
            Files.writeString(tp.resolve("attention.csv"), att);
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
