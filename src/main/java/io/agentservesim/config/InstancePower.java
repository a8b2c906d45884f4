package io.agentservesim.config;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.power.PowerSettings;
import io.agentservesim.power.PowerSettingsResolver;
import java.util.ArrayList;
import java.util.List;

/**
 * The power settings of each instance of a cluster. In a heterogeneous cluster ({@code cluster.groups})
 * every group draws the power of its own GPUs running its own model: the GPU is {@code power.gpu} when the
 * config names one (it then applies to every instance), else the instance's {@code hardware.gpu}, else
 * the GPU that measured its profile bundle, else the run-level GPU; the GPU count is
 * {@code power.gpus_per_instance} when set, else the instance's tensor x pipeline-parallel GPUs.
 */
final class InstancePower {
    private InstancePower() {
    }

    static List<PowerSettings> resolve(PowerSettings run, SimulationConfig.Power p, List<InstanceSpec> instances) {
        List<PowerSettings> out = new ArrayList<>(instances.size());
        GpuCatalog catalog = GpuCatalog.builtin();
        for (InstanceSpec spec : instances) {
            if (!run.enabled()) {
                out.add(run);
                continue;
            }
            GpuSpec gpu = p.gpu() != null ? run.gpu()
                    : spec.gpu() != null ? spec.gpu()
                    : orElse(PowerSettingsResolver.profileGpu(spec.profile(), catalog), run.gpu());
            int gpus = p.gpusPerInstance() != null ? p.gpusPerInstance() : spec.gpusPerRank();
            out.add(run.forInstance(gpu, spec.model(), gpus));
        }
        return List.copyOf(out);
    }

    private static GpuSpec orElse(GpuSpec a, GpuSpec b) {
        return a != null ? a : b;
    }
}
