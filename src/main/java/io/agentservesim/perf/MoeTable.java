package io.agentservesim.perf;

import io.agentservesim.error.InputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeMap;

/**
 * Expert-FFN time of one MoE layer against (tokens on the rank, distinct experts activated), from
 * {@code moe.csv}. The profile is sparse — each activated-experts value has its own token axis — so it
 * is stored as one {@link PiecewiseLinear} row per activated-experts value.
 *
 * <p>Lookup mirrors {@code _lookup_moe} in LLMServingSim's
 * {@code llmservingsim/serving/core/trace_generator.py}: bracket the activated-experts axis (constant
 * below its first value, linear extrapolation from the last two above it), evaluate each bracketing
 * row at the token count (constant below the row's first token count, linear beyond its last), and
 * blend linearly. Queries allocate nothing.
 */
public final class MoeTable implements MoeLayerTime {
    private final double[] experts;
    private final PiecewiseLinear[] rows;

    private MoeTable(double[] experts, PiecewiseLinear[] rows) {
        this.experts = experts;
        this.rows = rows;
    }

    static MoeTable read(Path file) {
        ProfileCsv csv = ProfileCsv.read(file, "tokens", "activated_experts", "time_us");
        if (csv.rows().isEmpty()) {
            throw InputException.at(file, 2, "MoE table has no rows");
        }
        TreeMap<Integer, TreeMap<Integer, Double>> byExperts = new TreeMap<>();
        for (ProfileCsv.Row row : csv.rows()) {
            int tokens = csv.count(row, 0, "tokens");
            int ae = csv.count(row, 1, "activated_experts");
            double us = csv.timeUs(row, 2, "time_us");
            byExperts.computeIfAbsent(ae, a -> new TreeMap<>()).put(tokens, us);
        }
        double[] experts = new double[byExperts.size()];
        PiecewiseLinear[] rows = new PiecewiseLinear[experts.length];
        int r = 0;
        for (var e : byExperts.entrySet()) {
            experts[r] = e.getKey();
            double[] xs = e.getValue().keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            double[] ys = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            rows[r++] = new PiecewiseLinear(xs, ys);
        }
        return new MoeTable(experts, rows);
    }

    /** Expert-FFN time in microseconds for {@code tokens} tokens activating {@code activatedExperts} experts. */
    @Override
    public double timeUs(double tokens, double activatedExperts) {
        if (experts.length == 1 || activatedExperts <= experts[0]) {
            return rows[0].atClampedBelow(tokens);
        }
        int lo = GridAxis.lowerIndex(experts, activatedExperts);
        double v0 = rows[lo].atClampedBelow(tokens);
        double v1 = rows[lo + 1].atClampedBelow(tokens);
        return v0 + (activatedExperts - experts[lo]) * (v1 - v0) / (experts[lo + 1] - experts[lo]);
    }

    public double[] activatedExpertsAxis() { return Arrays.copyOf(experts, experts.length); }
}
