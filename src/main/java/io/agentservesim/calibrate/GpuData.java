package io.agentservesim.calibrate;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything measured on one GPU: the LLMServingSim bundles' operator samples (every model and TP
 * degree), NVIDIA AIConfigurator's kernel tables and its fused-MoE table, any of them possibly absent.
 * The unit the shared calibration weighs equally and the leave-one-GPU-out validation holds out.
 *
 * @param gpuId   catalog id
 * @param bundles LLMServingSim samples measured on this GPU (may be empty)
 * @param tables  AIConfigurator kernel tables of this GPU, or null
 * @param moe     AIConfigurator fused-MoE rows of this GPU (balanced, moe_tp 1), or null
 */
public record GpuData(String gpuId, List<OperatorSamples> bundles, KernelTables tables, MoeKernelTable moe) {

    /** Query heads × KV heads × head dim 128 as a one-layer model, to price an AIC attention row. */
    static ModelShape attentionShape(int heads, int kvHeads) {
        int hidden = heads * 128;
        return new ModelShape("aic-attention-h" + heads + "-kv" + kvHeads, 1, hidden, heads, kvHeads, 128, hidden,
                32_000, 0, 0, 0, 2, false);
    }

    /** The batch of an AIC attention row: {@code batch} prefills of isl tokens, or decodes over step tokens. */
    static BatchShape attentionBatch(KernelTables.Attention a) {
        BatchShape b = new BatchShape();
        for (int i = 0; i < a.batch(); i++) {
            if (a.context()) {
                b.addPrefill(a.tokens(), 0);
            } else {
                b.addDecode(a.tokens());
            }
        }
        return b;
    }

    /**
     * Every GPU of the catalog that has bundles or AIConfigurator tables under {@code data}, in catalog order.
     */
    public static List<GpuData> discover(CalibrationData data, GpuCatalog catalog) {
        return discover(data, catalog, catalog.ids());
    }

    /** As {@link #discover(CalibrationData, GpuCatalog)}, for the GPUs of {@code gpuIds} only (nothing else is read). */
    static List<GpuData> discover(CalibrationData data, GpuCatalog catalog, Set<String> gpuIds) {
        Path models = data.models();
        Path aic = data.aic();
        List<MeasuredBundle> measured = MeasuredBundle.discover(data.perf(), models).stream()
                .filter(b -> gpuIds.contains(b.gpuId())).toList();
        List<OperatorSamples> all = RooflineCalibration.readAll(measured);
        Map<String, List<OperatorSamples>> byGpu = new LinkedHashMap<>();
        for (OperatorSamples s : all) {
            byGpu.computeIfAbsent(s.bundle().gpuId(), k -> new ArrayList<>()).add(s);
        }
        ModelShape moeLayer = MoeKernelTable.oneLayer(ModelShape.load(models.resolve(MoeKernelTable.SHAPE_MODEL)));
        List<GpuData> out = new ArrayList<>();
        for (String id : catalog.ids()) {
            if (!gpuIds.contains(id)) {
                continue;
            }
            List<OperatorSamples> bundles = byGpu.getOrDefault(id, List.of());
            KernelTables tables = KernelTables.read(aic, catalog.get(id));
            MoeKernelTable moe = MoeKernelTable.find(aic.resolve(id), moeLayer);
            if (!bundles.isEmpty() || tables != null || moe != null) {
                out.add(new GpuData(id, List.copyOf(bundles), tables, moe));
            }
        }
        return out;
    }

    /**
     * {@code all} without the samples of the bundle named {@code bundle} (every TP degree); a GPU left with
     * no data at all is dropped.
     */
    static List<GpuData> withoutBundle(List<GpuData> all, String bundle) {
        List<GpuData> out = new ArrayList<>();
        for (GpuData g : all) {
            List<OperatorSamples> kept = g.bundles().stream().filter(s -> !s.bundle().name().equals(bundle)).toList();
            if (!kept.isEmpty() || g.tables() != null || g.moe() != null) {
                out.add(new GpuData(g.gpuId(), kept, g.tables(), g.moe()));
            }
        }
        return out;
    }

    /** Bundle samples only, grouped by GPU (tables left out), as the bundles-only validation fits. */
    static List<GpuData> ofBundles(List<OperatorSamples> samples) {
        Map<String, List<OperatorSamples>> byGpu = new LinkedHashMap<>();
        for (OperatorSamples s : samples) {
            byGpu.computeIfAbsent(s.bundle().gpuId(), k -> new ArrayList<>()).add(s);
        }
        List<GpuData> out = new ArrayList<>();
        byGpu.forEach((id, list) -> out.add(new GpuData(id, List.copyOf(list), null, null)));
        return out;
    }
}
