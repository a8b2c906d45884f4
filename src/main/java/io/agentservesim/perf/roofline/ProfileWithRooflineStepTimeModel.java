package io.agentservesim.perf.roofline;

import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.StepTimeModel;

/**
 * The profile where it answers, the roofline for what the profile lacks (the "profile first,
 * roofline fills gaps"): the step is {@link ProfileStepTimeModel}'s time for every op the bundle has
 * measured, plus, per layer, the {@link RooflineStepTimeModel} price of each per-layer op the bundle has
 * no rows for (e.g. a bundle profiled without {@code act_fn}, or an MoE model whose bundle has no
 * {@code moe.csv}), plus the tensor-parallel all-reduces the bundles never measure (they emulate TP on
 * one GPU) and, under expert parallelism, the all-to-all dispatch and combine of each MoE layer
 * ({@link RooflineStepTimeModel#allToAllUs}). {@link #source()} names both parts, e.g.
 * {@code profile:RTXPRO6000/meta-llama/Llama-3.1-8B/tp2+roofline:rtx_pro_6000_server(all_reduce)}.
 * The query does one pass over the missing ops; nothing is allocated.
 */
public final class ProfileWithRooflineStepTimeModel implements StepTimeModel {
    private final ProfileStepTimeModel profile;
    private final RooflineStepTimeModel roofline;
    private final Op[] missing;
    private final int layers;
    private final boolean allReduce;
    private final String source;

    /**
     * @param missing   per-layer ops the bundle lacks, priced by the roofline
     * @param allReduce whether to add the roofline's TP all-reduces
     */
    public ProfileWithRooflineStepTimeModel(ProfileStepTimeModel profile, RooflineStepTimeModel roofline, Op[] missing,
            int layers, boolean allReduce, String gpuId) {
        this.profile = profile;
        this.roofline = roofline;
        this.missing = missing.clone();
        this.layers = layers;
        this.allReduce = allReduce && (roofline.tp() > 1 || roofline.ep() > 1);
        StringBuilder parts = new StringBuilder();
        for (Op op : this.missing) {
            parts.append(parts.isEmpty() ? "" : ",").append(op.profileName());
        }
        if (this.allReduce && roofline.tp() > 1) {
            parts.append(parts.isEmpty() ? "" : ",").append("all_reduce");
        }
        if (this.allReduce && roofline.ep() > 1) {
            parts.append(parts.isEmpty() ? "" : ",").append("all_to_all");
        }
        this.source = parts.isEmpty() ? profile.source() : profile.source() + "+roofline:" + gpuId + "(" + parts + ")";
    }

    @Override
    public long stepTimeNs(BatchShape batch) {
        if (batch.isEmpty()) {
            return 0L;
        }
        double t = batch.totalTokens();
        double filled = 0;
        for (Op op : missing) {
            filled += (op == Op.LAYERNORM ? 2.0 : 1.0) * roofline.opUs(op, t);   // input and post-attention norm
        }
        double us = profile.stepTimeUs(batch) + layers * filled + (allReduce ? roofline.allReduceUs(batch) + roofline.allToAllUs(batch) : 0.0);
        return Math.round(us * 1000.0);
    }

    /** True when the roofline answers part of the step. */
    public boolean usesRoofline() {
        return missing.length > 0 || allReduce;
    }

    @Override
    public String source() {
        return source;
    }
}
