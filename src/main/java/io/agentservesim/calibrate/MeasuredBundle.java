package io.agentservesim.calibrate;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.ProfileHardware;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.ProfileBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /**
     * Every bundle under {@code perfRoot} (LLMServingSim's {@code perf/<HW>/<org>/<model>/bf16}), with
     * model configs from {@code modelsRoot/<org>/<model>.json}, sorted by name; none if the folder is absent.
     */
    public static List<MeasuredBundle> discover(Path perfRoot, Path modelsRoot) {
        if (!Files.isDirectory(perfRoot)) {
            return List.of();
        }
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
        // LLMServingSim hardware folder → catalog id, as the engine's profile path maps it.
        String gpuId = ProfileHardware.catalogId(bundle.hardware(), GpuCatalog.builtin());
        if (gpuId == null) {
            throw InputException.at(dir.resolve("meta.yaml"), "hardware \"" + bundle.hardware()
                    + "\" has no catalog id (LLMServingSim's RTX4090, RTXPRO6000 or a catalog id)");
        }
        ModelShape model = ModelShape.load(modelsRoot.resolve(bundle.model() + ".json"));
        return new MeasuredBundle(bundle.hardware() + "/" + bundle.model(), gpuId, model, dir, bundle.tpDegrees());
    }
}
