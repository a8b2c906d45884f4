package io.agentservesim.perf.roofline;

import io.agentservesim.error.InputException;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.ProfileBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One LLMServingSim profile bundle (a GPU × model, measured at one or more TP degrees) with the catalog
 * GPU it was measured on and the model's shape: the unit the calibration fits on and the validation
 * holds out.
 *
 * @param name   "HW/model", e.g. "RTX4090/meta-llama/Llama-3.1-8B"
 * @param gpuId  catalog id of the GPU the bundle was measured on
 * @param model  shape from the model's Hugging Face config
 * @param dir    the bundle directory (holding meta.yaml and tp&lt;N&gt;/)
 * @param tps    the TP degrees measured
 */
public record MeasuredBundle(String name, String gpuId, ModelShape model, Path dir, int[] tps) {

    /** LLMServingSim hardware folder → catalog id (meta.yaml's gpu names the exact board). */
    private static final Map<String, String> GPU_IDS = Map.of(
            "RTX4090", "rtx_4090",
            "RTXPRO6000", "rtx_pro_6000_server");

    /**
     * Every bundle under {@code perfRoot} (LLMServingSim's {@code perf/<HW>/<org>/<model>/bf16}), with
     * model configs from {@code modelsRoot/<org>/<model>.json}, sorted by name.
     */
    public static List<MeasuredBundle> discover(Path perfRoot, Path modelsRoot) {
        try (Stream<Path> files = Files.walk(perfRoot)) {
            return files.filter(p -> p.getFileName().toString().equals("meta.yaml"))
                    .map(Path::getParent)
                    .sorted()
                    .map(dir -> of(dir, modelsRoot))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MeasuredBundle of(Path dir, Path modelsRoot) {
        ProfileBundle bundle = ProfileBundle.load(dir, 1);
        String gpuId = GPU_IDS.get(bundle.hardware());
        if (gpuId == null) {
            throw InputException.at(dir, "hardware \"" + bundle.hardware() + "\" has no catalog id; known: " + GPU_IDS.keySet());
        }
        ModelShape model = ModelShape.load(modelsRoot.resolve(bundle.model() + ".json"));
        return new MeasuredBundle(bundle.hardware() + "/" + bundle.model(), gpuId, model, dir, bundle.tpDegrees());
    }
}
