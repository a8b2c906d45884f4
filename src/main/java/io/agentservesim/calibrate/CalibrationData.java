package io.agentservesim.calibrate;

import java.nio.file.Path;

/**
 * Where the calibration's inputs and output live, all under one data folder: the install's {@code data/}
 * ({@code bin/asim} passes the install as {@code asim.home}), never the working directory.
 *
 * @param root the data folder (holding {@code llmservingsim/}, {@code aiconfigurator/}, {@code vidur/} and
 *             {@code hardware/})
 */
public record CalibrationData(Path root) {
    /** The file the calibration writes and the runtime reads (shipped on the classpath by the build). */
    public static final String CALIBRATION_FILE = "hardware/roofline-calibration.yaml";

    /** The data folder of the install that runs this code (system property {@code asim.home}, else "."). */
    public static CalibrationData install() {
        return new CalibrationData(Path.of(System.getProperty("asim.home", ".")).resolve("data"));
    }

    /** LLMServingSim's operator-profile bundles ({@code <HW>/<org>/<model>/bf16/}). */
    public Path perf() {
        return root.resolve("llmservingsim/perf");
    }

    /** The Hugging Face configs of the bundles' models ({@code <org>/<model>.json}). */
    public Path models() {
        return root.resolve("llmservingsim/models");
    }

    /** NVIDIA AIConfigurator's kernel and collective tables ({@code <system>/vllm-<ver>/}, {@code nccl-<ver>/}). */
    public Path aic() {
        return root.resolve("aiconfigurator/perf");
    }

    /** Vidur's A100/H100 operator and collective profiles. */
    public Path vidur() {
        return root.resolve("vidur/profiling");
    }

    /** The calibration file under this data folder. */
    public Path calibrationFile() {
        return root.resolve(CALIBRATION_FILE);
    }

    /** {@code p} (under the root) as "data/..." with forward slashes, the same on every install. */
    String label(Path p) {
        return ("data/" + root.relativize(p)).replace('\\', '/');
    }
}
