package io.agentservesim.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks against the LLMServingSim bundles shipped under data/llmservingsim/perf. */
class RealBundleTest {
    static final Path PERF = Path.of("data/llmservingsim/perf");
    static final Path LLAMA_4090 = PERF.resolve("RTX4090/meta-llama/Llama-3.1-8B/bf16");
    static final Path QWEN_MOE = PERF.resolve("RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16");

    /** time_us of the CSV row whose leading fields equal {@code key}, read straight from the file. */
    private static double row(Path csv, String key) throws IOException {
        List<String> hits = Files.readAllLines(csv).stream().filter(l -> l.startsWith(key + ",")).toList();
        assertThat(hits).as("rows %s in %s", key, csv).hasSize(1);
        String line = hits.get(0);
        return Double.parseDouble(line.substring(line.lastIndexOf(',') + 1));
    }

    @Test
    void llamaSingleDecodeMatchesTheCsvRowsSummedByHand() throws IOException {
        Path tp1 = LLAMA_4090.resolve("tp1");
        Path dense = tp1.resolve("dense.csv");
        double perLayer = 2 * row(dense, "layernorm,1") + row(dense, "qkv_proj,1") + row(dense, "rotary_emb,1")
                + row(dense, "o_proj,1") + row(dense, "gate_up_proj,1") + row(dense, "act_fn,1")
                + row(dense, "down_proj,1") + row(tp1.resolve("attention.csv"), "0,0,1,1024");
        double once = row(dense, "embedding,1") + row(dense, "final_layernorm,1")
                + row(tp1.resolve("per_sequence.csv"), "lm_head,1") + row(tp1.resolve("per_sequence.csv"), "sampler,1");
        double expectedUs = 32 * perLayer + once;

        ProfileBundle bundle = ProfileBundle.load(LLAMA_4090, 1);
        ProfileStepTimeModel m = new ProfileStepTimeModel(bundle, 32);
        BatchShape b = new BatchShape();
        b.addDecode(1024);
        assertThat(m.stepTimeNs(b)).isEqualTo(Math.round(expectedUs * 1000));
        assertThat(m.source()).isEqualTo("profile:RTX4090/meta-llama/Llama-3.1-8B/tp1");
        assertThat(bundle.gpu()).isEqualTo("NVIDIA GeForce RTX 4090");
        assertThat(bundle.tpDegrees()).containsExactly(1);
        assertThat(bundle.maxNumBatchedTokens()).isEqualTo(2048);
        // a single 8B decode on a 4090 takes on the order of 10-30 ms
        assertThat(m.stepTimeNs(b)).isBetween(5_000_000L, 40_000_000L);
    }

    @Test
    void moeBundleLoadsAndChargesExpertsPerLayer() throws IOException {
        Path tp1 = QWEN_MOE.resolve("tp1");
        Path dense = tp1.resolve("dense.csv");
        double perLayer = 2 * row(dense, "layernorm,1") + row(dense, "qkv_proj,1") + row(dense, "qk_norm,1")
                + row(dense, "rotary_emb,1") + row(dense, "o_proj,1")
                + row(tp1.resolve("attention.csv"), "0,0,1,1024")
                + row(tp1.resolve("moe.csv"), "1,8");  // 1 token x 8 experts per token
        double once = row(dense, "embedding,1") + row(dense, "final_layernorm,1")
                + row(tp1.resolve("per_sequence.csv"), "lm_head,1") + row(tp1.resolve("per_sequence.csv"), "sampler,1");

        ProfileStepTimeModel m = new ProfileStepTimeModel(ProfileBundle.load(QWEN_MOE, 1), 48, new MoeSpec(128, 8), null);
        BatchShape b = new BatchShape();
        b.addDecode(1024);
        assertThat(m.stepTimeNs(b)).isEqualTo(Math.round((48 * perLayer + once) * 1000));
        assertThat(m.stepTimeNs(b)).isPositive();
    }

    @Test
    void moeBundleAtTp2ReadsExpertsFromTp1LikeLlmServingSim() {
        ProfileBundle tp2 = ProfileBundle.load(QWEN_MOE, 2);
        assertThat(Files.exists(QWEN_MOE.resolve("tp2/moe.csv"))).isFalse();
        assertThat(tp2.moe()).isNotNull();
        BatchShape b = new BatchShape();
        b.addPrefill(512, 0);
        long t = new ProfileStepTimeModel(tp2, 48, new MoeSpec(128, 8), null).stepTimeNs(b);
        assertThat(t).isPositive();
        assertThat(tp2.skew().enabled()).isTrue();
    }

    @Test
    void everyShippedBundleLoadsAtEveryProfiledTp() throws IOException {
        try (var metas = Files.walk(PERF)) {
            List<Path> dirs = metas.filter(p -> p.endsWith("meta.yaml")).map(Path::getParent).toList();
            assertThat(dirs).hasSize(4);
            for (Path d : dirs) {
                for (int tp : ProfileBundle.load(d, 1).tpDegrees()) {
                    ProfileBundle bundle = ProfileBundle.load(d, tp);
                    assertThat(bundle.attention().timeUs(2048, 16384, 0, 0)).as(d + " tp" + tp).isPositive();
                }
            }
        }
    }

    @Test
    void scatteredRtxPro6000SamplesOffTheX2GridAreSetAside() {
        // RTXPRO6000 bundles carry 10,721 extra 1.5x-spaced attention samples off the meta.yaml grid
        assertThat(ProfileBundle.load(PERF.resolve("RTXPRO6000/meta-llama/Llama-3.1-8B/bf16"), 1)
                .attention().offGridRows()).isEqualTo(10_721);
        assertThat(ProfileBundle.load(LLAMA_4090, 1).attention().offGridRows()).isZero();
    }

    /**
     * Pure decode steps (the bulk of serving) inside the profiled grid: one more sequence, at a context
     * no shorter than any already in the batch, never makes the step faster. (Mixed prefill+decode
     * cells of the shipped profiles are themselves non-monotone — e.g. RTX4090 (512,2048,64,4096) is
     * 4038 µs but (512,4096,64,4096) is 3201 µs — so that property is checked on synthetic data in
     * {@link MonotonicityTest}.)
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void oneMoreDecodeIsNeverFaster(long seed) {
        ProfileStepTimeModel m = new ProfileStepTimeModel(ProfileBundle.load(LLAMA_4090, 1), 32);
        Random rnd = new Random(seed);
        for (int trial = 0; trial < 300; trial++) {
            BatchShape b = new BatchShape();
            int n = 1 + rnd.nextInt(200);
            int maxKv = 0;
            for (int i = 0; i < n; i++) {
                int kv = 16 + rnd.nextInt(8000);
                maxKv = Math.max(maxKv, kv);
                b.addDecode(kv);
            }
            long before = m.stepTimeNs(b);
            b.addDecode(maxKv + rnd.nextInt(8000));
            assertThat(m.stepTimeNs(b)).as("seed %d trial %d, %d decodes", seed, trial, n)
                    .isGreaterThanOrEqualTo(before);
        }
    }
}
