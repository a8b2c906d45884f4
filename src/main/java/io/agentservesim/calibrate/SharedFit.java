package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits one set of {@link RooflineEfficiency} compute factors shared by several GPUs. Each operator
 * class is fitted on its own (its factors enter no other class) by {@link CompassSearch}, minimising
 * the mean over GPUs of each GPU's mean squared log ratio roofline/measured: every GPU weighs the
 * same however many rows it has (vLLM 0.19 tables hold 3–4× the rows of 0.14 ones), and within a GPU
 * a 3 µs kernel weighs as much as a 1 ms one.
 * <ul>
 *   <li>GEMM (FLOP fraction, smallest tile rows, bandwidth fraction, overhead): AIConfigurator's GEMM
 *       rows and the bundles' qkv/o_proj/gate_up/down/lm_head rows;</li>
 *   <li>elementwise and sampler: bundle rows only (AIConfigurator has no such tables);</li>
 *   <li>attention (FLOP fraction, varlen and decode bandwidth fractions, overhead, decode wave time):
 *       the bundles' attention grids and AIConfigurator's context (pure prefill, varlen kernel) and
 *       generation (pure decode, split-KV kernel) rows;</li>
 *   <li>MoE (the Triton fused-MoE GEMMs' FLOP fraction, the kernels' bandwidth fraction and the per-SM
 *       ceiling of its streaming passes, {@link FusedMoeKernel}), after the GEMM block whose per-launch
 *       overhead it uses:
 *       AIConfigurator's fused-MoE rows (balanced, moe_tp 1, EP 1/2/4/8; in the refit of a GPU whose table
 *       has no balanced rows, A100 and L40S, its power-law EP 1 rows priced with the roofline's Zipf routing
 *       of the same exponent, {@link #ownRefit}) and the bundles' moe.csv rows.
 *       An AIConfigurator row measured faster than the ideal roofline of its own bytes and FLOPs
 *       ({@link #dramReachable}) is left out: the benchmark repeats one call, so a call whose few
 *       activated experts fit in the L2 cache reads them from there (the RTX PRO 6000's 128 MB L2 holds
 *       the 75 MB of one token's 8 experts, measured at 1.5× its DRAM peak), while in a served model the
 *       other layers' weights evict them between calls (the bundles' measured layers run at 0.82–0.92 of
 *       DRAM peak).</li>
 * </ul>
 */
final class SharedFit {
    private final GpuCatalog catalog;
    private final List<GpuData> gpus;
    /** One prebuilt batch per AIC attention row, reused by every objective evaluation. */
    private final Map<KernelTables.Attention, BatchShape> batches = new HashMap<>();
    /** Per GPU id, the fused-MoE rows the MoE block is fitted on ({@link #dramReachable}). */
    private final Map<String, List<MoeKernelTable.Row>> moeRows = new HashMap<>();
    /**
     * Whether the power-law rows of GPUs without balanced rows enter the MoE block: in a GPU's own refit
     * only. In the shared fit they pulled the default MoE factors (every GPU without MoE data, and each
     * held-out GPU) from 0.63 / 0.90 to 0.48 / 0.74 towards the vLLM 0.14 kernels of A100 and L40S: tried,
     * the RTX PRO 6000's leave-one-GPU-out Qwen3-30B-A3B tp1 row went from 12 to 29 %.
     */
    private final boolean fitSkewedRows;
    /** Per GPU id, the power-law rows the MoE block is fitted on where a GPU has no balanced rows. */
    private final Map<String, List<MoeKernelTable.SkewedRow>> skewedRows = new HashMap<>();

    /** Bounds of the GEMM block: FLOP fraction, smallest tile rows, bandwidth fraction, overhead ns. */
    private static final double[] GEMM_LOWER = {0.05, 4, 0.05, 1};
    private static final double[] GEMM_UPPER = {1.0, 128, 1.0, 100_000};
    /** Bounds of the MoE block: Triton GEMM FLOP fraction, bandwidth fraction, per-SM streaming ceiling in GB/s. */
    private static final double[] MOE_LOWER = {0.05, 0.05, 1};
    private static final double[] MOE_UPPER = {1.0, 1.0, 1_000};

    SharedFit(List<GpuData> gpus, GpuCatalog catalog) {
        this(gpus, catalog, false);
    }

    /**
     * The refit of one GPU on its own data ({@link RooflineCalibration#forGpu}): unlike a shared fit it also
     * fits the MoE block on the power-law rows of a GPU without balanced rows ({@link #skewedFitRows}).
     */
    static SharedFit ownRefit(GpuData own, GpuCatalog catalog) {
        return new SharedFit(List.of(own), catalog, true);
    }

    private SharedFit(List<GpuData> gpus, GpuCatalog catalog, boolean fitSkewedRows) {
        this.gpus = List.copyOf(gpus);
        this.catalog = catalog;
        this.fitSkewedRows = fitSkewedRows;
        for (GpuData g : gpus) {
            if (g.tables() != null) {
                for (KernelTables.Attention a : g.tables().attention()) {
                    if (a.context()) {
                        batches.put(a, GpuData.attentionBatch(a));
                    }
                }
            }
        }
    }

    /** Fits every compute block from the uncalibrated defaults. */
    RooflineEfficiency fit() {
        return fit(RooflineEfficiency.DEFAULTS);
    }

    /** Fits every compute block from {@code e}; a block none of the GPUs has rows for keeps e's values. */
    RooflineEfficiency fit(RooflineEfficiency start) {
        RooflineEfficiency e = start;
        e = block(e, RooflineEfficiency.GEMM, GEMM_LOWER, GEMM_UPPER, this::gemmResiduals);
        e = block(e, RooflineEfficiency.MOE, MOE_LOWER, MOE_UPPER, this::moeResiduals);
        e = block(e, RooflineEfficiency.ELEMENTWISE, new double[] {0.05, 1}, new double[] {1.5, 100_000},
                (g, eff, acc) -> opResiduals(g, eff, acc, Op.OpClass.ELEMENTWISE));
        e = block(e, RooflineEfficiency.SAMPLER, new double[] {0.01, 1}, new double[] {1.0, 1_000_000},
                (g, eff, acc) -> opResiduals(g, eff, acc, Op.OpClass.SAMPLER));
        return block(e, RooflineEfficiency.ATTENTION, new double[] {0.02, 0.02, 0.05, 1, 1, 1},
                new double[] {1.0, 1.5, 1.0, 100_000, 100_000, 100_000}, this::attentionResiduals);
    }

    /**
     * Only the blocks the MoE layer's price depends on, GEMM then MoE, from the uncalibrated defaults:
     * the same GEMM and MoE factors as {@link #fit()}, without fitting attention.
     */
    RooflineEfficiency fitGemmAndMoe() {
        RooflineEfficiency e = block(RooflineEfficiency.DEFAULTS, RooflineEfficiency.GEMM, GEMM_LOWER, GEMM_UPPER,
                this::gemmResiduals);
        return block(e, RooflineEfficiency.MOE, MOE_LOWER, MOE_UPPER, this::moeResiduals);
    }

    /** Adds squared log ratios of one GPU's rows to acc[0] and their count to acc[1]. */
    private interface Residuals {
        void add(GpuData gpu, RooflineEfficiency eff, double[] acc);
    }

    private RooflineEfficiency block(RooflineEfficiency e, int from, double[] lower, double[] upper, Residuals residuals) {
        double[] start = Arrays.copyOfRange(e.toArray(), from, from + lower.length);
        for (int i = 0; i < start.length; i++) {
            start[i] = Math.min(upper[i], Math.max(lower[i], start[i]));
        }
        double[] p = CompassSearch.minimise(q -> {
            RooflineEfficiency eff = e.with(from, q);
            double total = 0;
            int counted = 0;
            double[] acc = new double[2];
            for (GpuData g : gpus) {
                acc[0] = 0;
                acc[1] = 0;
                residuals.add(g, eff, acc);
                if (acc[1] > 0) {
                    total += acc[0] / acc[1];
                    counted++;
                }
            }
            return counted == 0 ? 0.0 : total / counted;
        }, start, lower, upper);
        return e.with(from, p);
    }

    private static void add(double[] acc, double predicted, double measured) {
        if (measured > 0) {
            double r = Math.log(predicted / measured);
            acc[0] += r * r;
            acc[1]++;
        }
    }

    private void gemmResiduals(GpuData g, RooflineEfficiency eff, double[] acc) {
        if (g.tables() != null) {
            OperatorCosts costs = new OperatorCosts(catalog.get(g.gpuId()), eff);
            for (KernelTables.Gemm r : g.tables().gemms()) {
                add(acc, costs.gemmUs(r.m(), r.k(), r.n(), 2), r.us());
            }
        }
        opResiduals(g, eff, acc, Op.OpClass.GEMM);
        opResiduals(g, eff, acc, Op.OpClass.LM_HEAD);
    }

    /**
     * Every factor at its physical limit: peak FLOP/s and DRAM bandwidth, no per-kernel overhead, no tile
     * padding, no per-SM streaming ceiling. A kernel measured faster than this did not stream its
     * operands from DRAM.
     */
    static final RooflineEfficiency IDEAL = RooflineEfficiency.DEFAULTS
            .with(RooflineEfficiency.GEMM, 1.0, 0.0, 1.0, 0.0)
            .with(RooflineEfficiency.MOE, 1.0, 1.0, Double.MAX_VALUE);

    /**
     * The balanced fused-MoE rows of {@code g} that a GPU could have served from DRAM: those no faster
     * than {@link #IDEAL}'s price of the same call. The others were cache-resident in the benchmark.
     */
    static List<MoeKernelTable.Row> dramReachable(GpuData g, GpuSpec gpu) {
        List<MoeKernelTable.Row> out = new ArrayList<>();
        for (MoeKernelTable.Row r : g.moe().balancedRows()) {
            if (r.us() >= MoeEpValidation.modelUs(gpu, g.moe().layer(), IDEAL, r.ep(), r.tokens())) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The power-law EP 1 rows of {@code g} that a GPU could have served from DRAM (as {@link #dramReachable}),
     * for a GPU whose table has no balanced rows; empty otherwise.
     */
    static List<MoeKernelTable.SkewedRow> skewedFitRows(GpuData g, GpuSpec gpu) {
        List<MoeKernelTable.SkewedRow> out = new ArrayList<>();
        if (g.moe().hasBalanced()) {
            return out;
        }
        for (MoeKernelTable.SkewedRow r : g.moe().powerLawEp1Rows()) {
            if (r.us() >= skewedUs(gpu, g.moe(), IDEAL, r)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The roofline's price of a power-law EP 1 row: Zipf routing of the same exponent. */
    static double skewedUs(GpuSpec gpu, MoeKernelTable table, RooflineEfficiency eff, MoeKernelTable.SkewedRow r) {
        MoeRouting zipf = MoeRouting.of(MoeRouting.Kind.ZIPF, r.zipfS(), table.layer().numExperts(), 1);
        return MoeEpValidation.modelUs(gpu, table.layer(), eff, zipf, 1, r.tokens());
    }

    private void moeResiduals(GpuData g, RooflineEfficiency eff, double[] acc) {
        if (g.moe() != null) {
            GpuSpec gpu = catalog.get(g.gpuId());
            List<MoeKernelTable.Row> rows = moeRows.computeIfAbsent(g.gpuId(), id -> dramReachable(g, gpu));
            for (MoeKernelTable.Row r : rows) {
                add(acc, MoeEpValidation.modelUs(gpu, g.moe().layer(), eff, r.ep(), r.tokens()), r.us());
            }
            List<MoeKernelTable.SkewedRow> skewed = !fitSkewedRows ? List.of()
                    : skewedRows.computeIfAbsent(g.gpuId(), id -> skewedFitRows(g, gpu));
            for (MoeKernelTable.SkewedRow r : skewed) {
                add(acc, skewedUs(gpu, g.moe(), eff, r), r.us());
            }
        }
        opResiduals(g, eff, acc, Op.OpClass.MOE);
    }

    private void opResiduals(GpuData g, RooflineEfficiency eff, double[] acc, Op.OpClass opClass) {
        for (OperatorSamples group : g.bundles()) {
            RooflineStepTimeModel m = RooflineCalibration.model(group, catalog, eff);
            for (OperatorSamples.OpSample s : group.ops()) {
                if (s.op().opClass() == opClass) {
                    add(acc, m.opUs(s.op(), s.x()), s.measuredUs());
                }
            }
        }
    }

    private void attentionResiduals(GpuData g, RooflineEfficiency eff, double[] acc) {
        for (OperatorSamples group : g.bundles()) {
            RooflineStepTimeModel m = RooflineCalibration.model(group, catalog, eff);
            for (OperatorSamples.AttentionSample s : group.attention()) {
                add(acc, m.attentionUs(s.chunk(), s.kvPrefill(), s.nDecode(), s.kvDecode()), s.measuredUs());
            }
        }
        if (g.tables() != null) {
            GpuSpec gpu = catalog.get(g.gpuId());
            Map<Integer, RooflineStepTimeModel> models = new HashMap<>();
            for (KernelTables.Attention a : g.tables().attention()) {
                RooflineStepTimeModel m = models.computeIfAbsent(a.heads() * 1000 + a.kvHeads(),
                        x -> new RooflineStepTimeModel(gpu, GpuData.attentionShape(a.heads(), a.kvHeads()), 1, eff));
                add(acc, price(m, a, batches.get(a)), a.us());
            }
        }
    }

    /** The AIC attention rows of a GPU priced with {@code eff}: predicted µs per row, in row order. */
    static double[] attentionPredictions(KernelTables tables, GpuSpec gpu, RooflineEfficiency eff) {
        Map<Integer, RooflineStepTimeModel> models = new HashMap<>();
        List<KernelTables.Attention> rows = tables.attention();
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            KernelTables.Attention a = rows.get(i);
            RooflineStepTimeModel m = models.computeIfAbsent(a.heads() * 1000 + a.kvHeads(),
                    x -> new RooflineStepTimeModel(gpu, GpuData.attentionShape(a.heads(), a.kvHeads()), 1, eff));
            out[i] = price(m, a, a.context() ? GpuData.attentionBatch(a) : null);
        }
        return out;
    }

    /** A generation row is a uniform decode batch: the closed form avoids a loop over its sequences. */
    private static double price(RooflineStepTimeModel m, KernelTables.Attention a, BatchShape batch) {
        return a.context() ? m.attentionUs(batch) : m.attentionUs(0, 0, a.batch(), a.tokens());
    }

    static List<GpuData> without(List<GpuData> all, String gpuId) {
        List<GpuData> out = new ArrayList<>();
        for (GpuData g : all) {
            if (!g.gpuId().equals(gpuId)) {
                out.add(g);
            }
        }
        return out;
    }
}
