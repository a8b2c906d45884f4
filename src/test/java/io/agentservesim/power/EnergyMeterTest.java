package io.agentservesim.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.workload.RequestSpec;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Energy of steps of known duration and shape on {@link TinyModel}'s made-up GPU (idle 100 W, TDP
 * 500 W), by hand: E = Σ P_step × t_step + P_idle × t_idle.
 */
class EnergyMeterTest {
    private static final long MS = 1_000_000L;

    /** Step A: prefill of 8 tokens, 3264 FLOPs and 704 bytes. Step B: two decodes, 1440 FLOPs, 1024 bytes. */
    private static double watts(double flops, double bytes, double seconds) {
        double compute = flops / (652_800 * seconds);
        double memory = bytes / (70_400 * seconds);
        return 100 + 400 * Math.min(1, compute + 0.36 * memory);
    }

    @Test
    void twoStepsAndAnIdleGapSumToStepPowerTimesDurationPlusIdlePowerTimesTheRest() {
        EnergyMeter meter = new EnergyMeter(TinyModel.settings(0, 0, 0), 1, 0);
        BatchShape a = new BatchShape();
        a.addPrefill(8, 0);
        BatchShape b = new BatchShape();
        b.addDecode(8);
        b.addDecode(24);
        meter.onStep(0, 0, 10 * MS, a);
        meter.onStep(0, 50 * MS, 20 * MS, b);
        EnergyReport r = EnergyReport.of(TinyModel.settings(0, 0, 0), meter, 0, 100 * MS, 2, 0);

        double pa = watts(3264, 704, 0.010);
        double pb = watts(1440, 1024, 0.020);
        // step A: u_c = 0.5, u_m = 1 → 100 + 400 × 0.86 = 444 W
        assertThat(pa).isCloseTo(444, within(1e-9));
        double expected = pa * 0.010 + pb * 0.020 + 100 * (0.100 - 0.030);
        assertThat(r.gpuJoules()).isCloseTo(expected, within(1e-9));
        assertThat(r.totalJoules()).isCloseTo(expected, within(1e-9));
        assertThat(r.averageWatts()).isCloseTo(expected / 0.100, within(1e-9));
        assertThat(r.joulesPerOutputToken()).isCloseTo(expected / 2, within(1e-9));
        assertThat(r.averageWatts()).isBetween(100.0, 500.0);
    }

    @Test
    void anEngineRunIsAccountedStepByStepWithIdleBetweenItsRequests() {
        Simulation sim = new Simulation();
        StepTimeModel tenMs = new StepTimeModel() {
            @Override public long stepTimeNs(BatchShape batch) { return 10 * MS; }
            @Override public String source() { return "constant:10ms"; }
        };
        EngineConfig config = new EngineConfig(2048, 8, 4096, 16, 1000, true, true, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, tenMs, (i, r) -> { }, false);
        PowerSettings settings = TinyModel.settings(50, 0, 0);
        EnergyMeter meter = new EnergyMeter(settings, 1, 0);
        engine.setStepObserver(meter);
        RequestSpec[] specs = {new RequestSpec(0, 0, 8, 2, null), new RequestSpec(1, 50 * MS, 8, 1, null)};
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                engine.submit(specs[payload], now);
            }
        });
        sim.schedule(0, feeder, 0);
        sim.schedule(50 * MS, feeder, 1);
        sim.run();
        // Steps: prefill 8 (0-10 ms), decode over 8 cached tokens (10-20 ms), prefill 8 (50-60 ms).
        assertThat(engine.steps()).isEqualTo(3);
        EnergyReport r = EnergyReport.of(settings, meter, 0, 60 * MS, 3, 0);
        double prefill = watts(3264, 704, 0.010);
        double decode = watts(320 + 128 + 16 * 9, 448 + 16 * 10, 0.010);
        double gpu = 2 * prefill * 0.010 + decode * 0.010 + 100 * 0.030;
        assertThat(r.gpuJoules()).isCloseTo(gpu, within(1e-9));
        assertThat(r.hostCpuJoules()).isCloseTo(50 * 0.060, within(1e-12));
        assertThat(r.joulesPerOutputToken()).isCloseTo((gpu + 3.0) / 3, within(1e-9));
    }

    @Test
    void theMeterAnswersEnergyUpToAnyTimeInsideTheRunningStep() {
        EnergyMeter meter = new EnergyMeter(TinyModel.settings(0, 0, 0), 1, 0);
        BatchShape a = new BatchShape();
        a.addPrefill(8, 0);
        meter.onStep(0, 0, 10 * MS, a);
        double full = (444 - 100) * 0.010;
        assertThat(meter.dynamicJoulesUpTo(0, 5 * MS)).isCloseTo(full / 2, within(1e-12));
        assertThat(meter.dynamicJoulesUpTo(0, 30 * MS)).isCloseTo(full, within(1e-12));
    }

    @Test
    void timeBinsSplitAStepAcrossTheirBoundary() {
        PowerTimeline t = new PowerTimeline(1_000 * MS);
        t.add(900 * MS, 1_200 * MS, 10);
        assertThat(t.joules(0)).isCloseTo(1.0, within(1e-12));
        assertThat(t.joules(1)).isCloseTo(2.0, within(1e-12));
        assertThat(t.joules(2)).isZero();
    }

    @Test
    void linkAndDramEnergyAreBytesTimesPicojoulesPerBit() {
        PowerSettings settings = TinyModel.settings(0, 20, 5);
        EnergyMeter meter = new EnergyMeter(settings, 1, 0);
        EnergyReport r = EnergyReport.of(settings, meter, 0, 0, 0, 1_000_000_000L);
        assertThat(r.dramJoules()).isCloseTo(1e9 * 8 * 20e-12, within(1e-12));
        assertThat(r.linkJoules()).isCloseTo(1e9 * 8 * 5e-12, within(1e-12));
        assertThat(settings.transferJoules(1_000_000_000L)).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void aComputeBoundStepDrawsMoreThanAMemoryBoundOneOfTheSameDuration() {
        ModelShape llama = ModelShape.load(Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json"));
        GpuSpec rtx4090 = GpuCatalog.builtin().get("rtx_4090");
        StepWork work = new StepWork(llama);
        GpuPowerModel power = new GpuPowerModel(rtx4090, 1);
        long duration = 50 * MS;

        BatchShape prefill = new BatchShape();
        prefill.addPrefill(2048, 0);
        work.measure(prefill);
        double computeBound = power.dynamicWatts(work.flops(), work.bytes(), duration);

        BatchShape decode = new BatchShape();
        for (int i = 0; i < 64; i++) {
            decode.addDecode(1000);
        }
        work.measure(decode);
        assertThat(work.bytes() / work.flops()).as("decode is memory-bound").isGreaterThan(
                rtx4090.memoryBandwidth() / rtx4090.bf16DenseFlops());
        double memoryBound = power.dynamicWatts(work.flops(), work.bytes(), duration);

        assertThat(computeBound).isGreaterThan(memoryBound);
        assertThat(computeBound).isCloseTo(450 - 20, within(1e-9));
        assertThat(memoryBound).isBetween(0.0, 0.5 * (450 - 20));
    }
}
