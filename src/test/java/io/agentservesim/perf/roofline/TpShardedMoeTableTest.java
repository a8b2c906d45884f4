package io.agentservesim.perf.roofline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.calibrate.StepShapes;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.MoeSpec;
import io.agentservesim.perf.MoeTable;
import io.agentservesim.perf.ProfileBundle;
import io.agentservesim.perf.ProfileStepTimeModel;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.parallel.MoeRouting;
import io.agentservesim.perf.parallel.Parallelism;
import io.agentservesim.perf.parallel.RoutedMoeStepTimeModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Qwen3-30B-A3B bundle has {@code moe.csv} under tp1/ only. At TP 2 without expert parallelism vLLM
 * splits every expert's width over the two GPUs, so the profile path prices the MoE layer as the tp1
 * table × the roofline's tp2/tp1 ratio; TP 1 and expert parallelism keep the table as measured.
 */
class TpShardedMoeTableTest {
    private static final Path D = Path.of("data/llmservingsim");
    private static final Path BUNDLE = D.resolve("perf/RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/bf16");
    private static final ModelShape QWEN = ModelShape.load(D.resolve("models/Qwen/Qwen3-30B-A3B-Instruct-2507.json"));
    private static final GpuSpec PRO = GpuCatalog.builtin().get("rtx_pro_6000_server");
    private static final MoeSpec SPEC = new MoeSpec(128, 8);
    private static final int LAYERS = 48;

    /** T tokens in one step: one decode for T = 1, else one prefill chunk of T. */
    private static BatchShape step(int tokens) {
        BatchShape b = new BatchShape();
        if (tokens == 1) {
            b.addDecode(1024);
        } else {
            b.addPrefill(tokens, 0);
        }
        return b;
    }

    /** rooflineMoe(tp2, T) / rooflineMoe(tp1, T), built the way a user builds the roofline. */
    private static double rooflineRatio(int tokens) {
        RooflineEfficiency f = RooflineFactors.builtin().forGpu(PRO);
        return new RooflineStepTimeModel(PRO, QWEN, 2, f).opUs(Op.MOE, tokens)
                / new RooflineStepTimeModel(PRO, QWEN, 1, f).opUs(Op.MOE, tokens);
    }

    @Test
    void theBundleSaysItsMoeTableWasMeasuredAtTp1() {
        assertThat(ProfileBundle.load(BUNDLE, 1).moeMeasuredAtTp()).isEqualTo(1);
        assertThat(ProfileBundle.load(BUNDLE, 2).moeMeasuredAtTp()).isEqualTo(1);
        assertThat(ProfileBundle.load(D.resolve("perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16"), 2).moeMeasuredAtTp())
                .isZero();
        assertThat(TpShardedMoeTable.applies(ProfileBundle.load(BUNDLE, 2))).isTrue();
        assertThat(TpShardedMoeTable.applies(ProfileBundle.load(BUNDLE, 1))).isFalse();
    }

    /**
     * Step(tp2, profile path) − step(tp2, LLMServingSim's unsharded convention) = −48 × table(T) × (1 − ratio(T)):
     * only the MoE layer moves, by the roofline's own sharding ratio, and at 64–2048 tokens the layer costs
     * 0.5–0.6 of the tp1 table (the grouped GEMMs and their weight reads halve; the alignment and the top-k
     * sum over all T × 8 pairs do not).
     */
    @Test
    void atTp2TheMoeLayerIsTheTp1TableTimesTheRooflineShardingRatio() {
        ProfileBundle tp2 = ProfileBundle.load(BUNDLE, 2);
        MoeTable table = tp2.moe();
        ProfileStepTimeModel sharded = StepTimeModels.bundleOnly(BUNDLE, 2, QWEN, null);
        ProfileStepTimeModel unsharded = new ProfileStepTimeModel(tp2, LAYERS, SPEC, null);
        assertThat(sharded.source()).isEqualTo("profile:RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/tp2"
                + "+moe(tp1 table x roofline tp2/tp1 sharding, rtx_pro_6000_server)");
        for (int t : new int[] {1, 64, 512, 2048}) {
            double tableUs = table.timeUs(t, SPEC.activatedExperts(t));
            double ratio = rooflineRatio(t);
            double expected = unsharded.stepTimeUs(step(t)) - LAYERS * tableUs * (1 - ratio);
            assertThat(sharded.stepTimeUs(step(t))).as("T=%d", t).isCloseTo(expected, within(1e-6 * expected));
            assertThat(ratio).as("T=%d", t).isLessThan(0.7);
            if (t >= 64) {
                assertThat(ratio).as("T=%d", t).isBetween(0.5, 0.6);
            }
        }
        // the table lookups themselves: 2048 tokens activate all 128 experts, 1066.6 µs measured at tp1
        TpShardedMoeTable moe = new TpShardedMoeTable(table, PRO, QWEN, 2, RooflineFactors.builtin().forGpu(PRO));
        assertThat(table.timeUs(2048, 128)).isCloseTo(1066.6, within(0.01));
        assertThat(moe.timeUs(2048, 128)).isCloseTo(1066.6 * rooflineRatio(2048), within(0.01));
        assertThat(moe.timeUs(2048, 128) / table.timeUs(2048, 128)).isBetween(0.55, 0.6);
        // a token count past the precomputed range is priced on the call, by the same formula
        assertThat(moe.ratio(TpShardedMoeTable.PRECOMPUTED + 1000)).isCloseTo(rooflineRatio(TpShardedMoeTable.PRECOMPUTED + 1000),
                within(1e-12));
    }

    @Test
    void forGpuWithoutExpertParallelismShardsTheSameWayAndAddsTheAllReduces() {
        StepTimeModel m = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, 2, null);
        assertThat(m.source()).isEqualTo("profile:RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/tp2"
                + "+moe(tp1 table x roofline tp2/tp1 sharding, rtx_pro_6000_server)+roofline:rtx_pro_6000_server(all_reduce)");
        ProfileStepTimeModel profile = StepTimeModels.bundleOnly(BUNDLE, 2, QWEN, null);
        RooflineStepTimeModel roof = new RooflineStepTimeModel(PRO, QWEN, 2, RooflineFactors.builtin().forGpu(PRO));
        for (int t : new int[] {1, 512, 2048}) {
            assertThat(m.stepTimeNs(step(t))).isEqualTo(Math.round((profile.stepTimeUs(step(t)) + roof.allReduceUs(step(t))) * 1000));
        }
    }

    @Test
    void tp1IsUnchanged() {
        ProfileStepTimeModel before = new ProfileStepTimeModel(ProfileBundle.load(BUNDLE, 1), LAYERS, SPEC, null);
        StepTimeModel now = StepTimeModels.fromProfile(BUNDLE, 1, QWEN, null);
        StepTimeModel forGpu = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, 1, null);
        assertThat(now.source()).isEqualTo("profile:RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/tp1");
        for (StepShapes.Step s : StepShapes.sample(StepShapes.SEED)) {
            assertThat(now.stepTimeNs(s.batch())).isEqualTo(before.stepTimeNs(s.batch()));
            assertThat(forGpu.stepTimeNs(s.batch())).isEqualTo(before.stepTimeNs(s.batch()));
        }
    }

    /**
     * EP2 keeps experts whole: no TP sharding; the tp1 table at the full batch × the kernel model's EP
     * ratio ({@link EpRoutedMoeTable}; before it, the busiest shard's per-rank lookup).
     */
    @Test
    void expertParallelismKeepsTheTp1TableUnsharded() {
        Parallelism ep2 = Parallelism.experts(2, MoeRouting.Kind.ZIPF, 1.2);
        StepTimeModel m = StepTimeModels.forGpu(BUNDLE, PRO, QWEN, 2, null, ep2);
        assertThat(m.source()).doesNotContain("sharding").contains("moe(ep2/zipf1.20: tp1 table x roofline EP ratio)");
        ProfileBundle tp2 = ProfileBundle.load(BUNDLE, 2);
        ProfileBundle tp1 = ProfileBundle.load(BUNDLE, 1);
        RooflineEfficiency f = RooflineFactors.builtin().forGpu(PRO);
        RooflineStepTimeModel roof = new RooflineStepTimeModel(PRO, QWEN, 2, f, null,
                MoeRouting.of(MoeRouting.Kind.ZIPF, 1.2, 128, 2));
        StepTimeModel base = new ProfileWithRooflineStepTimeModel(new ProfileStepTimeModel(tp2, LAYERS, SPEC, new int[0]),
                roof, new Op[0], LAYERS, true, PRO.id());
        StepTimeModel expected = new RoutedMoeStepTimeModel(base, tp2.moe(),
                new EpRoutedMoeTable(tp1.moe(), PRO, QWEN, roof.routing(), f), SPEC, roof.routing(), LAYERS,
                new int[0], "tp1 table x roofline EP ratio", false);
        for (StepShapes.Step s : StepShapes.sample(StepShapes.SEED)) {
            assertThat(m.stepTimeNs(s.batch())).isEqualTo(expected.stepTimeNs(s.batch()));
        }
    }

    @Test
    void aBundleWithMoeMeasuredAtItsOwnTpUsesItAsMeasured(@TempDir Path tmp) throws IOException {
        Path copy = copyBundle(tmp, "RTXPRO6000");
        Files.copy(copy.resolve("tp1/moe.csv"), copy.resolve("tp2/moe.csv"));
        ProfileBundle tp2 = ProfileBundle.load(copy, 2);
        assertThat(tp2.moeMeasuredAtTp()).isEqualTo(2);
        StepTimeModel m = StepTimeModels.bundleOnly(copy, 2, QWEN, null);
        assertThat(m.source()).isEqualTo("profile:RTXPRO6000/Qwen/Qwen3-30B-A3B-Instruct-2507/tp2");
        assertThat(m.stepTimeNs(step(2048))).isEqualTo(new ProfileStepTimeModel(tp2, LAYERS, SPEC, null).stepTimeNs(step(2048)));
    }

    /** Without a catalog GPU for the bundle's hardware there is no roofline to shard with: LLMServingSim's convention, said. */
    @Test
    void unknownHardwareKeepsTheUnshardedTableAndSaysSo(@TempDir Path tmp) throws IOException {
        Path copy = copyBundle(tmp, "TPUv5e");
        StepTimeModel m = StepTimeModels.bundleOnly(copy, 2, QWEN, null);
        assertThat(m.source()).isEqualTo("profile:TPUv5e/Qwen/Qwen3-30B-A3B-Instruct-2507/tp2+moe(tp1 table unsharded"
                + " (LLMServingSim's convention): hardware \"TPUv5e\" is not in the GPU catalog)");
        assertThat(m.stepTimeNs(step(2048)))
                .isEqualTo(new ProfileStepTimeModel(ProfileBundle.load(copy, 2), LAYERS, SPEC, null).stepTimeNs(step(2048)));
    }

    /** The Qwen bundle copied to {@code tmp} with meta.yaml's hardware set to {@code hardware}. */
    private static Path copyBundle(Path tmp, String hardware) throws IOException {
        Path out = tmp.resolve("bundle");
        try (Stream<Path> files = Files.walk(BUNDLE)) {
            for (Path p : files.toList()) {
                Path target = out.resolve(BUNDLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path meta = out.resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta).replace("hardware: RTXPRO6000", "hardware: " + hardware));
        return out;
    }
}
