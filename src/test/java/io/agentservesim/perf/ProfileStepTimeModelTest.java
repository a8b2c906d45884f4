package io.agentservesim.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.agentservesim.perf.SyntheticBundle.attn;
import static io.agentservesim.perf.SyntheticBundle.embedding;
import static io.agentservesim.perf.SyntheticBundle.finalNorm;
import static io.agentservesim.perf.SyntheticBundle.layernorm;
import static io.agentservesim.perf.SyntheticBundle.lmHead;
import static io.agentservesim.perf.SyntheticBundle.qkv;
import static io.agentservesim.perf.SyntheticBundle.sampler;
import static org.assertj.core.api.Assertions.assertThat;

class ProfileStepTimeModelTest {
    @TempDir
    Path dir;

    private ProfileBundle bundle() {
        return ProfileBundle.load(SyntheticBundle.write(dir, false), 1);
    }

    private static long ns(double us) {
        return Math.round(us * 1000.0);
    }

    /** Per-layer dense: layernorm twice (pre-attention and post-attention) plus qkv_proj. */
    private static double layerDense(double t) {
        return 2 * layernorm(t) + qkv(t);
    }

    private static double once(double t, double s) {
        return embedding(t) + finalNorm(t) + lmHead(s) + sampler(s);
    }

    @Test
    void singleDecodeStepIsLayersTimesLayerOpsPlusOncePerStepOps() {
        BatchShape b = new BatchShape();
        b.addDecode(16);
        ProfileStepTimeModel m = new ProfileStepTimeModel(bundle(), 3);
        double expected = 3 * (layerDense(1) + attn(0, 0, 1, 16)) + once(1, 1);
        assertThat(m.stepTimeNs(b)).isEqualTo(ns(expected));
        assertThat(m.source()).isEqualTo("profile:SYN/test-org/tiny/tp1");
    }

    @Test
    void severalPrefillsAndDecodesMapToSummedChunksAndMeanDecodeKv() {
        BatchShape b = new BatchShape();
        b.addPrefill(10, 4);
        b.addPrefill(14, 12);  // chunks sum 24, kv_prefill sum 16
        b.addDecode(16);
        b.addDecode(32);       // n_decode 2, mean kv 24
        double tokens = 26;
        double attention = attn(24, 16, 2, 24);
        double expected = 2 * (layerDense(tokens) + attention) + once(tokens, 4);
        assertThat(new ProfileStepTimeModel(bundle(), 2).stepTimeNs(b)).isEqualTo(ns(expected));
    }

    @Test
    void oneTokenPrefillChunkCountsAsADecode() {
        BatchShape asPrefill = new BatchShape();
        asPrefill.addPrefill(1, 16);
        BatchShape asDecode = new BatchShape();
        asDecode.addDecode(16);
        ProfileStepTimeModel m = new ProfileStepTimeModel(bundle(), 1);
        assertThat(m.stepTimeNs(asPrefill)).isEqualTo(m.stepTimeNs(asDecode));
    }

    @Test
    void emptyBatchTakesNoTime() {
        assertThat(new ProfileStepTimeModel(bundle(), 4).stepTimeNs(new BatchShape())).isZero();
    }

    @Test
    void cudaGraphPaddingEvaluatesTokenOpsAtNextCaptureSize() {
        BatchShape b = new BatchShape();
        b.addDecode(16);
        b.addDecode(16);
        b.addDecode(16);  // 3 tokens, 3 sequences -> padded to 4
        ProfileStepTimeModel padded = new ProfileStepTimeModel(bundle(), 1, null, new int[] {8, 1, 2, 4});
        double expected = layerDense(4) + attn(0, 0, 3, 16) + once(4, 4);
        assertThat(padded.cudaGraphPadding()).isTrue();
        assertThat(padded.stepTimeNs(b)).isEqualTo(ns(expected));
        // above the largest capture size nothing is padded
        BatchShape big = new BatchShape();
        big.addPrefill(9, 0);
        // the unprofiled empty cell (0,0,0,0) holds the (0,0,1,16) value 5; blend 9/16 of the way to (16,0,0,0)
        double prefillAttn = 5 + 9.0 / 16 * (attn(16, 0, 0, 0) - 5);
        double unpadded = layerDense(9) + prefillAttn + once(9, 1);
        assertThat(padded.stepTimeNs(big)).isEqualTo(ns(unpadded));
        assertThat(new ProfileStepTimeModel(bundle(), 1).stepTimeNs(b))
                .isEqualTo(ns(layerDense(3) + attn(0, 0, 3, 16) + once(3, 3)));
    }

    @Test
    void skewFitBlendsTowardTheLongestDecode() throws IOException {
        Path root = SyntheticBundle.write(dir, false);
        String meta = Files.readString(root.resolve("meta.yaml")).replace("skew_fit:\n  enabled: false\n", """
                skew_fit:
                  enabled: true
                  bucket_axes:
                    n_bins: [0, 2, 1000000]
                    n_labels: [n<=2, n>2]
                    skew_rate_bins: [-0.01, 1.01]
                    skew_rate_labels: [any]
                    kv_big_bins: [0, 1000000]
                    kv_big_labels: [kvB]
                    kp_bins: [-1, 0, 1000000]
                    kp_labels: [kp=0, kp>0]
                  per_tp:
                    1:
                      alpha_default: 0.25
                      bucket_table: tp1/skew_fit.csv
                """);
        Files.writeString(root.resolve("meta.yaml"), meta);
        Files.writeString(root.resolve("tp1/skew_fit.csv"),
                "pc,n_label,skew_rate_label,kv_big_label,kp_label,alpha,n_samples\n0,n<=2,any,kvB,kp=0,0.5,3\n");
        ProfileStepTimeModel m = new ProfileStepTimeModel(ProfileBundle.load(root, 1), 1);

        BatchShape b = new BatchShape();
        b.addDecode(16);
        b.addDecode(32);
        double tMean = attn(0, 0, 2, 24);
        double tMax = attn(0, 0, 2, 32);
        assertThat(m.stepTimeNs(b)).isEqualTo(ns(layerDense(2) + tMean + 0.5 * (tMax - tMean) + once(2, 2)));

        // chunk 16 is not a bucketed pc value: the pooled alpha_default applies
        BatchShape mixed = new BatchShape();
        mixed.addPrefill(16, 0);
        mixed.addDecode(16);
        mixed.addDecode(32);
        double mMean = attn(16, 0, 2, 24);
        double mMax = attn(16, 0, 2, 32);
        assertThat(m.stepTimeNs(mixed)).isEqualTo(ns(layerDense(18) + mMean + 0.25 * (mMax - mMean) + once(18, 3)));
    }

    @Test
    void moeLayerAddsExpertTimeAtTokensAndActivatedExperts() throws IOException {
        Path root = SyntheticBundle.write(dir, false);
        // experts 4 and 8; per-row lines in tokens
        Files.writeString(root.resolve("tp1/moe.csv"), """
                tokens,activated_experts,time_us
                1,4,10
                2,4,12
                1,8,20
                4,8,26
                """);
        ProfileStepTimeModel m = new ProfileStepTimeModel(ProfileBundle.load(root, 1), 2, new MoeSpec(8, 3), null);
        BatchShape b = new BatchShape();
        b.addDecode(16);
        b.addDecode(16);  // T = 2: activated = min(2*3, 8) = 6 -> halfway between row 4 (12) and row 8 (22)
        double moe = (12 + 22) / 2.0;
        double expected = 2 * (layerDense(2) + attn(0, 0, 2, 16) + moe) + once(2, 2);
        assertThat(m.stepTimeNs(b)).isEqualTo(ns(expected));
    }
}
