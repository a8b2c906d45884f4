package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import io.agentservesim.perf.roofline.Op;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The measured operator times of one bundle at one TP degree, as rows the calibration and validation
 * compare the roofline with: dense and per-sequence ops from {@code dense.csv}/{@code per_sequence.csv}
 * (every profiled token or sequence count), attention from every {@code attention.csv} grid point, and
 * the MoE expert FFN from {@code moe.csv} at the balanced activated-expert count min(E, tokens × k) the
 * roofline assumes. Times in microseconds, as in the bundle.
 */
public final class OperatorSamples {
    /** One measured op call at x tokens (or sequences). */
    public record OpSample(Op op, double x, double measuredUs) { }

    /** One measured attention call: a prefill chunk over kvPrefill tokens plus nDecode decodes of kvDecode. */
    public record AttentionSample(double chunk, double kvPrefill, double nDecode, double kvDecode, double measuredUs) {
        public Op.OpClass opClass() {
            return nDecode == 0 ? Op.OpClass.ATTENTION_PREFILL
                    : chunk == 0 ? Op.OpClass.ATTENTION_DECODE : Op.OpClass.ATTENTION_MIXED;
        }
    }

    private final MeasuredBundle bundle;
    private final int tp;
    private final List<OpSample> ops;
    private final List<AttentionSample> attention;

    private OperatorSamples(MeasuredBundle bundle, int tp, List<OpSample> ops, List<AttentionSample> attention) {
        this.bundle = bundle;
        this.tp = tp;
        this.ops = List.copyOf(ops);
        this.attention = List.copyOf(attention);
    }

    public static OperatorSamples read(MeasuredBundle bundle, int tp) {
        Path dir = bundle.dir().resolve("tp" + tp);
        List<OpSample> ops = new ArrayList<>();
        for (Op op : Op.values()) {
            if (op == Op.MOE) {
                continue;
            }
            Path file = dir.resolve(op.perSequence() ? "per_sequence.csv" : "dense.csv");
            for (double[] row : rows(file, op.profileName())) {
                ops.add(new OpSample(op, row[0], row[1]));
            }
        }
        if (bundle.model().isMoe() && Files.exists(dir.resolve("moe.csv"))) {
            double experts = bundle.model().numExperts();
            double k = bundle.model().expertsPerToken();
            for (double[] row : rows(dir.resolve("moe.csv"), null)) {
                if (row[1] == Math.min(experts, row[0] * k)) {
                    ops.add(new OpSample(Op.MOE, row[0], row[2]));
                }
            }
        }
        List<AttentionSample> attention = new ArrayList<>();
        for (double[] r : rows(dir.resolve("attention.csv"), null)) {
            if (r[0] > 0 || r[2] > 0) {
                attention.add(new AttentionSample(r[0], r[1], r[2], r[3], r[4]));
            }
        }
        return new OperatorSamples(bundle, tp, ops, attention);
    }

    /** Numeric rows of a CSV with a header; with {@code label}, only rows whose first column is it (dropped). */
    private static List<double[]> rows(Path file, String label) {
        List<double[]> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] cols = line.split(",");
                int from = 0;
                if (label != null) {
                    if (!cols[0].equals(label)) {
                        continue;
                    }
                    from = 1;
                }
                double[] v = new double[cols.length - from];
                for (int i = from; i < cols.length; i++) {
                    v[i - from] = Double.parseDouble(cols[i]);
                }
                out.add(v);
            }
        } catch (IOException | NumberFormatException e) {
            throw InputException.at(file, "cannot read profile table: " + e.getMessage());
        }
        return out;
    }

    public MeasuredBundle bundle() { return bundle; }
    public int tp() { return tp; }
    public List<OpSample> ops() { return ops; }
    public List<AttentionSample> attention() { return attention; }
}
