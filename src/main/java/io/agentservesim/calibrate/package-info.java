/**
 * Offline calibration of the roofline step-time model ({@code asim calibrate}): reads the measurements
 * under the install's {@code data/} (LLMServingSim operator profiles, NVIDIA AIConfigurator kernel and
 * collective tables, Vidur's profiles), fits the {@link io.agentservesim.perf.roofline.RooflineEfficiency}
 * factors ({@link io.agentservesim.calibrate.RooflineCalibration}), writes
 * {@code data/hardware/roofline-calibration.yaml} ({@link io.agentservesim.calibrate.CalibrationFile}) and
 * prints the leave-one-out validation tables ({@link io.agentservesim.calibrate.CalibrationReport}). Nothing a
 * simulation runs depends on this package: the runtime reads the file through
 * {@link io.agentservesim.perf.roofline.RooflineFactors}.
 */
package io.agentservesim.calibrate;
