package io.agentservesim.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.config.ResolvedSimulation;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power section: GPU by id or inferred from the profile, defaults, and bad input. */
class PowerSettingsResolverTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String RTX4090 = "data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16";
    private static final String PRO6000 = "data/llmservingsim/perf/RTXPRO6000/meta-llama/Llama-3.1-8B/bf16";

    @TempDir
    Path tmp;

    private Path config(String profile, String power) throws IOException {
        Path f = tmp.resolve("sim.yaml");
        Files.writeString(f, "model: " + ROOT.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json") + "\n"
                + "hardware: {profile: " + ROOT.resolve(profile) + "}\n"
                + "engine: {num_gpu_blocks: 1000, max_model_len: 4096}\n"
                + "workload: {synthetic: {num_requests: 2, rate_per_sec: 1, input: {type: fixed, tokens: 16},"
                + " output: {type: fixed, tokens: 4}}}\n"
                + power);
        return f;
    }

    private PowerSettings load(String profile, String power) throws IOException {
        return ResolvedSimulation.load(config(profile, power), null, null).power();
    }

    @Test
    void theGpuIsInferredFromTheProfileHardwareName() throws IOException {
        PowerSettings rtx = load(RTX4090, "");
        assertThat(rtx.enabled()).isTrue();
        assertThat(rtx.gpu().id()).isEqualTo("rtx_4090");
        assertThat(rtx.gpusPerInstance()).isEqualTo(1);
        assertThat(rtx.hostCpuWatts()).isEqualTo(90.0);
        assertThat(rtx.dramPjPerBit()).isEqualTo(20.0);
        assertThat(rtx.linkPjPerBit()).isEqualTo(5.0);
        assertThat(load(PRO6000, "").gpu().id()).isEqualTo("rtx_pro_6000_server");
    }

    @Test
    void anExplicitGpuAndGpuCountOverrideTheProfile() throws IOException {
        PowerSettings s = load(RTX4090, "power: {gpu: h100_sxm, gpus_per_instance: 2, host_cpu_w: 0}\n");
        assertThat(s.gpu().id()).isEqualTo("h100_sxm");
        assertThat(s.gpusPerInstance()).isEqualTo(2);
        assertThat(s.baseWatts()).isEqualTo(2 * 70.0);
    }

    @Test
    void anUnknownGpuIdIsAnErrorNamingPowerGpu() throws IOException {
        Path f = config(RTX4090, "power: {gpu: rtx_9999}\n");
        assertThatThrownBy(() -> ResolvedSimulation.load(f, null, null))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("power.gpu")
                .hasMessageContaining("rtx_9999")
                .hasMessageContaining("h100_sxm");
    }

    @Test
    void negativeConstantsAreErrorsNamingTheirField() throws IOException {
        Path f = config(RTX4090, "power: {host_cpu_w: -1}\n");
        assertThatThrownBy(() -> ResolvedSimulation.load(f, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("power.host_cpu_w");
        Path g = config(RTX4090, "power: {gpus_per_instance: 0}\n");
        assertThatThrownBy(() -> ResolvedSimulation.load(g, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("power.gpus_per_instance");
    }

    @Test
    void disabledPowerOrAnUnknownProfileHardwareTurnsAccountingOffWithANote() throws IOException {
        assertThat(load(RTX4090, "power: {enabled: false}\n").enabled()).isFalse();
        GpuCatalog catalog = GpuCatalog.builtin();
        assertThat(PowerSettingsResolver.match("RTX4090", catalog)).isEqualTo("rtx_4090");
        assertThat(PowerSettingsResolver.match("H100-SXM", catalog)).isEqualTo("h100_sxm");
        assertThat(PowerSettingsResolver.match("TPUv5e", catalog)).isNull();
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("meta.yaml"), "hardware: TPUv5e\n");
        PowerSettings off = PowerSettingsResolver.resolve(tmp.resolve("x.yaml"), true, null, null, 90, 20, 5,
                TinyModel.MODEL, bundle, 1, catalog);
        assertThat(off.enabled()).isFalse();
        assertThat(off.note()).contains("TPUv5e", "power.gpu");
        assertThat(EnergyReport.off(off).tableLine()).startsWith("energy: off");
    }
}
