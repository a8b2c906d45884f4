package io.agentservesim.calibrate;

import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.ProfileBundle;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.roofline.Op;
import io.agentservesim.perf.roofline.RooflineStepTimeModel;
import io.agentservesim.perf.roofline.TpShardedMoeTable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole-step comparison the validations make on one LLMServingSim bundle at one TP degree:
 * {@link RooflineStepTimeModel#computeUs} against {@link ProfileStepTimeModel} (eager) on the ops the bundle
 * measured at that TP. All-reduce is out of both sides (the bundles emulate TP on one GPU and record none).
 * When the bundle's MoE layer was not measured at this TP (only {@code tp1/moe.csv},
 * {@link TpShardedMoeTable#applies}), the MoE layer is left out of both sides as well: the tp1 table at TP N
 * is a convention (LLMServingSim's unsharded layer, or the profile path's TP-sharded one), not a measurement.
 * For such a bundle {@link #moeIncludedError} also compares the whole step, MoE included, with the profile
 * path's convention ({@link StepTimeModels#fromProfile}: the tp1 table × the roofline's sharding ratio, with
 * the built-in factors).
 */
final class BundleStepReference {
    /** Error-map key prefix of the MoE-included comparison. */
    static final String MOE_INCLUDED = "moe-in ";

    private final RooflineStepTimeModel roof;
    private final ProfileStepTimeModel measured;
    private final ProfileStepTimeModel profilePath;
    private final double layers;
    private final int tp;

    private BundleStepReference(RooflineStepTimeModel roof, ProfileStepTimeModel measured,
            ProfileStepTimeModel profilePath, double layers, int tp) {
        this.roof = roof;
        this.measured = measured;
        this.profilePath = profilePath;
        this.layers = layers;
        this.tp = tp;
    }

    /** The reference for {@code test}'s bundle at its TP, compared with {@code roof} (built without capture sizes). */
    static BundleStepReference of(OperatorSamples test, RooflineStepTimeModel roof) {
        MeasuredBundle b = test.bundle();
        ProfileStepTimeModel profile = StepTimeModels.bundleOnly(b.dir(), test.tp(), b.model(), null);
        ProfileBundle bundle = ProfileBundle.load(b.dir(), test.tp());
        if (!b.model().isMoe() || !TpShardedMoeTable.applies(bundle)) {
            return new BundleStepReference(roof, profile, null, b.model().numLayers(), test.tp());
        }
        MoeSpec spec = new MoeSpec(b.model().numExperts(), b.model().expertsPerToken());
        ProfileStepTimeModel measuredOps = new ProfileStepTimeModel(bundle, b.model().numLayers(), spec, null,
                (tokens, experts) -> 0.0);
        return new BundleStepReference(roof, measuredOps, profile, b.model().numLayers(), test.tp());
    }

    /** True when the MoE layer is left out of both sides. */
    boolean moeLeftOut() {
        return profilePath != null;
    }

    /** "" or what a reader must know about the reference, e.g. "MoE unmeasured at tp2, left out both sides". */
    String note() {
        return moeLeftOut() ? "MoE unmeasured at tp" + tp + ", left out both sides" : "";
    }

    /** roofline / reference − 1 over the measured ops. */
    double error(BatchShape batch) {
        double roofUs = roof.computeUs(batch);
        if (moeLeftOut()) {
            roofUs -= layers * roof.opUs(Op.MOE, batch.totalTokens());
        }
        return roofUs / measured.stepTimeUs(batch) - 1;
    }

    /** roofline / profile path − 1, MoE included on both sides; only when {@link #moeLeftOut()}. */
    double moeIncludedError(BatchShape batch) {
        return roof.computeUs(batch) / profilePath.stepTimeUs(batch) - 1;
    }

    /**
     * The lines after a table giving, for each row with a MoE-included comparison, its whole-step errors
     * against the profile path's convention (mean / max |error| and signed mean, %); "" when no row has one.
     */
    static String moeIncludedLines(List<String> labels, List<Map<String, ErrorStats>> errors) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            Map<String, ErrorStats> e = errors.get(i);
            if (!e.containsKey(MOE_INCLUDED + "step:all")) {
                continue;
            }
            sb.append("\nMoE included, against the profile path's convention (tp1 moe.csv × the roofline's TP sharding"
                    + " ratio, StepTimeModels.fromProfile), ").append(labels.get(i)).append(':');
            for (String kind : new String[] {"step:decode", "step:prefill", "step:mixed", "step:all"}) {
                ErrorStats s = e.get(MOE_INCLUDED + kind);
                sb.append(String.format(Locale.ROOT, " %s %.1f / %.0f;", kind, 100 * s.meanAbs(), 100 * s.maxAbs()));
            }
            sb.append(String.format(Locale.ROOT, " signed mean %+.1f %%\n",
                    100 * e.get(MOE_INCLUDED + "step:all").meanSigned()));
        }
        return sb.toString();
    }
}
