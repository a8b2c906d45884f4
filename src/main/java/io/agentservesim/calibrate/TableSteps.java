package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole Llama-3.1-8B steps (tp1) measured from AIConfigurator's kernel tables, for GPUs without an
 * LLMServingSim bundle: 32 layers × (GEMMs + attention) + lm_head, with elementwise ops, sampler,
 * embedding and host overhead left out on both sides. The tables hold only power-of-two-ish weight
 * shapes, so both the measured reference and the roofline price the same substitute calls:
 * <ul>
 *   <li>qkv 4096→6144 and o_proj 4096→4096: as they are;</li>
 *   <li>gate_up 4096→28672: two GEMMs, 4096→12288 plus 4096→16384 (same FLOPs and weight bytes, one
 *       more launch);</li>
 *   <li>down 14336→4096: the mean of 12288→4096 and 16384→4096 (k = 14336 lies halfway; time is close
 *       to linear in k);</li>
 *   <li>lm_head 4096→128256: 4096→65536 × 128256/65536.</li>
 * </ul>
 * GEMM times are interpolated linearly in m between the table's rows. Attention is the context table
 * (batch × isl tokens, no cached prefix) for a pure-prefill step and the generation table (batch
 * decodes over {@code step} tokens) for a pure-decode step, 32 query and 8 KV heads. Shapes missing
 * from a GPU's tables are skipped.
 */
final class TableSteps {
    /** One step: {@code batch} sequences of {@code tokens} (prefill: isl; decode: cached context). */
    record Step(String kind, int batch, int tokens) {
        boolean prefill() {
            return kind.equals("prefill");
        }

        int gemmRows() {
            return prefill() ? batch * tokens : batch;
        }

        BatchShape shape() {
            BatchShape b = new BatchShape();
            for (int i = 0; i < batch; i++) {
                if (prefill()) {
                    b.addPrefill(tokens, 0);
                } else {
                    b.addDecode(tokens);
                }
            }
            return b;
        }
    }

    /** {n, k, weight} of the substitute GEMM calls of one layer. */
    private static final double[][] LAYER_GEMMS = {
        {6144, 4096, 1}, {4096, 4096, 1}, {12288, 4096, 1}, {16384, 4096, 1}, {4096, 12288, 0.5}, {4096, 16384, 0.5}};
    private static final double[] LM_HEAD = {65536, 4096, 128256.0 / 65536.0};
    private static final int LAYERS = 32;
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;

    private TableSteps() {
    }

    /** Decode: 1–256 sequences over 511/2047/8191 cached tokens; prefill: 64–2048 tokens in 1–16 sequences. */
    static List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        for (int b : new int[] {1, 4, 16, 64, 256}) {
            for (int ctx : new int[] {511, 2047, 8191}) {
                steps.add(new Step("decode", b, ctx));
            }
        }
        int[][] prefills = {{1, 64}, {1, 256}, {1, 1024}, {1, 2048}, {2, 1024}, {4, 512}, {8, 256}, {16, 128}};
        for (int[] p : prefills) {
            steps.add(new Step("prefill", p[0], p[1]));
        }
        return steps;
    }

    /** Measured step time in µs from the tables, or NaN if the tables lack a shape it needs. */
    static double measuredUs(KernelTables t, Step s) {
        double attention = t.attentionUs(s.prefill(), s.batch(), s.tokens(), HEADS, KV_HEADS);
        if (Double.isNaN(attention)) {
            return Double.NaN;
        }
        double layer = attention;
        for (double[] g : LAYER_GEMMS) {
            layer += g[2] * t.gemmUs(s.gemmRows(), g[0], g[1]);
        }
        return LAYERS * layer + LM_HEAD[2] * t.gemmUs(s.batch(), LM_HEAD[0], LM_HEAD[1]);
    }

    /** The roofline's time for the same calls in µs. */
    static double rooflineUs(GpuSpec gpu, ModelShape llama, RooflineEfficiency eff, Step s) {
        OperatorCosts costs = new OperatorCosts(gpu, eff);
        RooflineStepTimeModel model = new RooflineStepTimeModel(gpu, llama, 1, eff);
        double layer = model.attentionUs(s.shape());
        for (double[] g : LAYER_GEMMS) {
            layer += g[2] * costs.gemmUs(s.gemmRows(), g[1], g[0], 2);
        }
        return LAYERS * layer + LM_HEAD[2] * costs.gemmUs(s.batch(), LM_HEAD[1], LM_HEAD[0], 2);
    }

    /** True if every GEMM shape a step needs is in the tables. */
    static boolean covers(KernelTables t) {
        for (double[] g : LAYER_GEMMS) {
            if (!t.hasGemm(g[0], g[1])) {
                return false;
            }
        }
        return t.hasGemm(LM_HEAD[0], LM_HEAD[1]);
    }
}
