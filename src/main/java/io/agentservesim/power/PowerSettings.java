package io.agentservesim.power;

import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;

/**
 * The resolved {@code power:} section of a simulation: which GPU (and how many per instance) draws the
 * power, the served model (the work of a step), the host CPU's constant draw per instance and the
 * energy of moving a bit through host DRAM and over a host link. {@code gpu == null} means power
 * accounting is off, with {@code note} saying why.
 *
 * @param gpu             catalog entry of the instance's GPUs; null = off
 * @param model           the served model (FLOPs and bytes of a step)
 * @param gpusPerInstance GPUs of one instance (tensor parallel degree unless set)
 * @param hostCpuWatts    host CPU draw per instance, constant over the run
 * @param dramPjPerBit    host DRAM access energy, picojoules per bit moved
 * @param linkPjPerBit    host link (PCIe/CXL) energy, picojoules per bit moved
 * @param note            why accounting is off, or "" when it is on
 */
public record PowerSettings(
        GpuSpec gpu,
        ModelShape model,
        int gpusPerInstance,
        double hostCpuWatts,
        double dramPjPerBit,
        double linkPjPerBit,
        String note) {

    /** Accounting off, with the reason shown in the summary. */
    public static PowerSettings off(String note) {
        return new PowerSettings(null, null, 0, 0, 0, 0, note);
    }

    /** The same host-side settings for an instance with other GPUs or another model. */
    public PowerSettings forInstance(GpuSpec instanceGpu, ModelShape instanceModel, int gpus) {
        return new PowerSettings(instanceGpu, instanceModel, gpus, hostCpuWatts, dramPjPerBit, linkPjPerBit, note);
    }

    public boolean enabled() {
        return gpu != null;
    }

    /** Idle draw of all GPUs of one instance plus its host CPU, watts. */
    public double baseWatts() {
        return gpusPerInstance * gpu.idleWatts() + hostCpuWatts;
    }

    /** Energy of moving {@code bytes} from GPU to host memory or back: link plus DRAM access, joules. */
    public double transferJoules(long bytes) {
        return bytes * 8.0 * (dramPjPerBit + linkPjPerBit) * 1e-12;
    }
}
