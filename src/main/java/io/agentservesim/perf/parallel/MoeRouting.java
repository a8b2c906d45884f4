package io.agentservesim.perf.parallel;

import io.agentservesim.error.InputException;
import java.util.Locale;

/**
 * How a step's token-expert pairs spread over the experts of one MoE layer and over the
 * expert-parallel shards that hold them. Deterministic: every quantity is an expected value of the
 * routing distribution, so the same step always costs the same and nothing is drawn or allocated per
 * step (the per-expert popularities are computed once, here).
 *
 * <p>A step of T tokens routes P = T·k pairs (k = experts per token). Pairs are treated as independent
 * draws from the expert popularity p<sub>i</sub> (the top-k constraint that a token's k experts are
 * distinct is ignored; it matters only when k is close to E):
 * <ul>
 *   <li>{@link Kind#BALANCED}: LLMServingSim's default gate ({@code _balanced_route_ep} in
 *       {@code llmservingsim/serving/core/gate_function.py}): min(P, E) experts fire, each with
 *       P / min(P, E) pairs; each shard gets P / EP pairs and min(P, E) / EP experts.</li>
 *   <li>{@link Kind#UNIFORM}: each pair picks an expert uniformly at random: expected distinct experts
 *       E·(1 − (1 − 1/E)<sup>P</sup>); the most loaded expert carries about
 *       P/E + √(2·(P/E)·ln E) pairs and the most loaded of EP shards about P/EP + √(2·(P/EP)·ln EP)
 *       (the heavily loaded case of M. Raab and A. Steger, "Balls into bins — a simple and tight
 *       analysis", RANDOM 1998), never more than P.</li>
 *   <li>{@link Kind#ZIPF}: expert popularity ∝ 1/rank<sup>s</sup> (skewed routing as measured on
 *       real MoE routers, e.g. the hot experts of DeepSpeed-MoE and the EPLB balancer that vLLM ships
 *       for them); expert i (0-based) has rank i + 1. Expected distinct experts
 *       Σ<sub>i</sub> 1 − (1 − p<sub>i</sub>)<sup>P</sup>, most loaded expert P·p<sub>0</sub>.
 *       Experts are placed on shards in contiguous blocks of E/EP (vLLM's default linear expert map,
 *       {@code determine_expert_map} in {@code vllm/model_executor/layers/fused_moe/layer.py}), so shard
 *       0 holds the hottest experts: the worst case that an expert-placement balancer removes.</li>
 * </ul>
 * The slowest shard sets the MoE layer's time: {@link #maxShardPairs} and {@link #maxShardActivated}
 * describe that shard (for ZIPF shard 0; for BALANCED and UNIFORM every shard is alike in expectation).
 */
public final class MoeRouting {
    /** The routing distributions. */
    public enum Kind { BALANCED, UNIFORM, ZIPF }

    private final Kind kind;
    private final double zipfS;
    private final int experts;
    private final int ep;
    /** ZIPF only: popularity of each expert, hottest first. */
    private final double[] popularity;
    /** ZIPF only: share of all pairs landing on shard 0 (the hottest). */
    private final double hottestShardShare;

    private MoeRouting(Kind kind, double zipfS, int experts, int ep) {
        this.kind = kind;
        this.zipfS = zipfS;
        this.experts = experts;
        this.ep = ep;
        if (kind == Kind.ZIPF) {
            popularity = new double[experts];
            double sum = 0;
            for (int i = 0; i < experts; i++) {
                popularity[i] = Math.pow(i + 1.0, -zipfS);
                sum += popularity[i];
            }
            double shard0 = 0;
            for (int i = 0; i < experts; i++) {
                popularity[i] /= sum;
                if (i < experts / ep) {
                    shard0 += popularity[i];
                }
            }
            hottestShardShare = shard0;
        } else {
            popularity = null;
            hottestShardShare = 1.0 / ep;
        }
    }

    /**
     * Routing of {@code kind} over {@code experts} experts split across {@code ep} expert-parallel GPUs;
     * {@code zipfS} is the Zipf exponent (used by ZIPF only, must be &ge; 0; 0 is uniform popularity).
     */
    public static MoeRouting of(Kind kind, double zipfS, int experts, int ep) {
        if (experts < 1) {
            throw new InputException("MoE routing needs at least one expert, got " + experts);
        }
        if (ep < 1 || experts % ep != 0) {
            throw new InputException("expert_parallel_size " + ep + " must be >= 1 and divide the " + experts
                    + " experts");
        }
        if (kind == Kind.ZIPF && !(zipfS >= 0 && zipfS <= 10)) {
            throw new InputException("moe.zipf_s must be in [0, 10], got " + zipfS);
        }
        return new MoeRouting(kind, kind == Kind.ZIPF ? zipfS : 0.0, experts, ep);
    }

    /** Balanced routing with no expert parallelism: today's {@code MoeSpec.activatedExperts}. */
    public static MoeRouting balanced(int experts) {
        return of(Kind.BALANCED, 0.0, experts, 1);
    }

    /** Parses {@code balanced | uniform | zipf} (case-insensitive), naming the key in the error. */
    public static Kind parseKind(String name) {
        try {
            return Kind.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InputException("moe.routing: expected balanced, uniform or zipf, got \"" + name + "\"");
        }
    }

    /** Expected distinct experts that {@code pairs} token-expert pairs activate over the whole layer. */
    public double activatedExperts(double pairs) {
        if (pairs <= 0) {
            return 0.0;
        }
        return switch (kind) {
            case BALANCED -> Math.min(pairs, experts);
            case UNIFORM -> experts * -Math.expm1(pairs * Math.log1p(-1.0 / experts));
            case ZIPF -> distinct(0, experts, pairs);
        };
    }

    /** Pairs carried by the most loaded expert. */
    public double maxExpertLoad(double pairs) {
        if (pairs <= 0) {
            return 0.0;
        }
        return switch (kind) {
            case BALANCED -> Math.max(1.0, pairs / experts);
            case UNIFORM -> Math.min(pairs, Math.max(1.0, ballsInBinsMax(pairs, experts)));
            case ZIPF -> Math.max(1.0, pairs * popularity[0]);
        };
    }

    /** Pairs routed to the most loaded expert-parallel shard (all pairs when EP = 1). */
    public double maxShardPairs(double pairs) {
        if (pairs <= 0 || ep == 1) {
            return Math.max(0.0, pairs);
        }
        return switch (kind) {
            case BALANCED -> pairs / ep;
            case UNIFORM -> Math.min(pairs, ballsInBinsMax(pairs, ep));
            case ZIPF -> pairs * hottestShardShare;
        };
    }

    /** Expected distinct experts activated on the most loaded shard. */
    public double maxShardActivated(double pairs) {
        if (ep == 1) {
            return activatedExperts(pairs);
        }
        if (pairs <= 0) {
            return 0.0;
        }
        return switch (kind) {
            case BALANCED -> Math.min(pairs, experts) / ep;
            case UNIFORM -> activatedExperts(pairs) / ep;
            case ZIPF -> distinct(0, experts / ep, pairs);
        };
    }

    /**
     * Rows the busiest shard's grouped GEMM computes when each activated expert's rows are padded up to
     * whole tiles of {@code tileRows} (vLLM's {@code moe_align_block_size} pads every expert to a
     * multiple of BLOCK_SIZE_M); {@link #maxShardPairs} when {@code tileRows} is 0. BALANCED and UNIFORM:
     * every activated expert of the shard carries the shard's mean rows. ZIPF: each expert i of shard 0
     * carries its expected P·p<sub>i</sub> rows, padded to whole tiles; one that is expected to get less
     * than one row occupies a tile with its activation probability.
     */
    public double maxShardPaddedRows(double pairs, double tileRows) {
        double rows = maxShardPairs(pairs);
        if (tileRows <= 0 || rows <= 0) {
            return rows;
        }
        if (kind == Kind.ZIPF) {
            double padded = 0;
            for (int i = 0; i < experts / ep; i++) {
                double load = pairs * popularity[i];
                padded += load >= 1 ? Math.ceil(load / tileRows) * tileRows
                        : -Math.expm1(pairs * Math.log1p(-popularity[i])) * tileRows;
            }
            return Math.max(rows, padded);
        }
        double activated = maxShardActivated(pairs);
        double perExpert = rows / activated;
        return activated * Math.ceil(perExpert / tileRows - 1e-9) * tileRows;
    }

    private double distinct(int from, int to, double pairs) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += -Math.expm1(pairs * Math.log1p(-popularity[i]));
        }
        return sum;
    }

    private static double ballsInBinsMax(double balls, int bins) {
        double mean = balls / bins;
        return mean + Math.sqrt(2.0 * mean * Math.log(bins));
    }

    public Kind kind() { return kind; }
    public double zipfS() { return zipfS; }
    public int experts() { return experts; }
    public int expertParallelSize() { return ep; }

    /** "balanced", "uniform" or "zipf1.2", with "/ep2" when sharded. */
    public String label() {
        String k = kind == Kind.ZIPF ? String.format(Locale.ROOT, "zipf%.3g", zipfS) : kind.name().toLowerCase(Locale.ROOT);
        return ep > 1 ? "ep" + ep + "/" + k : k;
    }
}
