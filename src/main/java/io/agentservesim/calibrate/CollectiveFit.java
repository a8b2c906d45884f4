package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.perf.roofline.NcclFactors;
import io.agentservesim.perf.roofline.OperatorCosts;
import io.agentservesim.perf.roofline.RooflineEfficiency;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits the collective factors of one GPU on AIConfigurator's tables ({@link CollectiveTables}), each
 * row weighted equally, minimising the mean squared log error (a 10 % miss counts the same at 5 µs as
 * at 5 ms) by {@link CompassSearch}:
 * <ul>
 *   <li>custom all-reduce link fraction and latency on the vLLM table's rows where vLLM runs its custom
 *       kernel ({@link OperatorCosts#usesCustomAllReduce}); the other rows are NCCL;</li>
 *   <li>NCCL all-reduce and all-to-all ({@link NcclFactors}) on the nccl-tests rows, all sizes and GPU
 *       counts; the shared-fabric bound only for PCIe GPUs.</li>
 * </ul>
 * Pricing goes through {@link OperatorCosts}, so the fitted formula is the simulated one.
 */
final class CollectiveFit {
    /** Which collective a set of NCCL factors prices. */
    enum Collective {
        ALL_REDUCE("all_reduce"), ALL_TO_ALL("alltoall");

        final String ncclOp;

        Collective(String ncclOp) {
            this.ncclOp = ncclOp;
        }
    }

    /**
     * Starting points (fraction, LL latency, Simple latency, step latency, fabric links): the objective
     * has local minima where one protocol never wins, so the search starts from each and keeps the best.
     */
    private static final double[][] NCCL_STARTS = {
        {0.5, 5_000, 20_000, 500, 1.0}, {0.3, 2_000, 10_000, 500, 1.0}, {0.8, 10_000, 50_000, 500, 1.0},
        {0.5, 5_000, 20_000, 2_000, 0.3}};
    private static final double[] NCCL_LOWER = {0.02, 10, 10, 1, 0.05};
    private static final double[] NCCL_UPPER = {1.5, 1e7, 1e7, 1e5, 100};

    private CollectiveFit() {
    }

    /** The vLLM table rows of {@code gpu} where vLLM runs its custom all-reduce. */
    static List<CollectiveTables.Row> customRows(Path aic, GpuSpec gpu) {
        OperatorCosts c = new OperatorCosts(gpu, RooflineEfficiency.DEFAULTS);
        List<CollectiveTables.Row> out = new ArrayList<>();
        for (CollectiveTables.Row r : CollectiveTables.vllmAllReduce(aic, gpu.id())) {
            if (c.usesCustomAllReduce(r.bytes(), r.gpus())) {
                out.add(r);
            }
        }
        return out;
    }

    /** {@code base} with the custom all-reduce's fraction and latency fitted on {@code rows}. */
    static RooflineEfficiency fitCustom(GpuSpec gpu, RooflineEfficiency base, List<CollectiveTables.Row> rows) {
        double[] p = CompassSearch.minimise(q -> {
            OperatorCosts c = new OperatorCosts(gpu, base.withLink(q[0], q[1]));
            double sum = 0;
            for (CollectiveTables.Row r : rows) {
                double e = Math.log(c.customAllReduceUs(r.bytes(), r.gpus()) / r.us());
                sum += e * e;
            }
            return sum / rows.size();
        }, new double[] {base.linkBandwidthFraction(), base.allReduceLatencyNs()},
                new double[] {0.02, 100}, new double[] {1.0, 1_000_000});
        return base.withLink(p[0], p[1]);
    }

    /** NCCL factors of {@code which} fitted on {@code rows}; the fabric bound only on a PCIe GPU. */
    static NcclFactors fitNccl(GpuSpec gpu, Collective which, List<CollectiveTables.Row> rows) {
        int n = gpu.gpuLink() == GpuSpec.GpuLink.PCIE ? 5 : 4;
        NcclFactors best = null;
        double bestError = Double.POSITIVE_INFINITY;
        for (double[] start : NCCL_STARTS) {
            double[] p = CompassSearch.minimise(q -> meanSquaredLogError(gpu, which, NcclFactors.fromArray(q), rows),
                    Arrays.copyOf(start, n), Arrays.copyOf(NCCL_LOWER, n), Arrays.copyOf(NCCL_UPPER, n));
            NcclFactors f = NcclFactors.fromArray(p);
            double error = meanSquaredLogError(gpu, which, f, rows);
            if (error < bestError) {
                best = f;
                bestError = error;
            }
        }
        return best;
    }

    /** Time the model gives one row with these factors, µs. */
    static double priced(GpuSpec gpu, Collective which, NcclFactors f, CollectiveTables.Row r) {
        OperatorCosts c = new OperatorCosts(gpu, RooflineEfficiency.DEFAULTS.withNccl(f, f));
        return which == Collective.ALL_REDUCE ? c.ncclAllReduceUs(r.bytes(), r.gpus()) : c.allToAllUs(r.bytes(), r.gpus());
    }

    private static double meanSquaredLogError(GpuSpec gpu, Collective which, NcclFactors f, List<CollectiveTables.Row> rows) {
        double sum = 0;
        for (CollectiveTables.Row r : rows) {
            double e = Math.log(priced(gpu, which, f, r) / r.us());
            sum += e * e;
        }
        return sum / rows.size();
    }

    /**
     * Geometric mean of each factor over {@code fitted} (the default for GPUs of the same link kind
     * without data); the fabric bound is kept only if every GPU has one. Null if the list is empty.
     */
    static NcclFactors pooled(List<NcclFactors> fitted) {
        if (fitted.isEmpty()) {
            return null;
        }
        double[] log = new double[5];
        boolean fabric = true;
        for (NcclFactors f : fitted) {
            double[] v = f.toArray();
            for (int i = 0; i < 4; i++) {
                log[i] += Math.log(v[i]);
            }
            fabric &= v[4] > 0;
            log[4] += v[4] > 0 ? Math.log(v[4]) : 0;
        }
        double[] v = new double[5];
        for (int i = 0; i < 5; i++) {
            v[i] = Math.exp(log[i] / fitted.size());
        }
        if (!fabric) {
            v[4] = 0;
        }
        return NcclFactors.fromArray(v);
    }
}
