package io.agentservesim.perf.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The SM-share step time on the RTX 4090 operator profile of Llama-3.1-8B: the profile's own time on the whole
 * GPU, a memory-bound decode batch barely slower on a few SMs, a compute-bound prefill slower in proportion.
 */
class SmShareStepTimeModelTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final ModelShape LLAMA = ModelShape.load(REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json"));
    private static final Path PROFILE = REPO.resolve("data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16");
    private static final GpuSpec RTX4090 = GpuCatalog.builtin().get("rtx_4090");

    private static SmShareStepTimeModel model(StepTimeModel base) {
        return new SmShareStepTimeModel(base, RTX4090, LLAMA, 1, RooflineFactors.builtin().forGpu(RTX4090), null,
                SmShareStepTimeModel.DEFAULT_SM_BANDWIDTH);
    }

    private static BatchShape decodes(int n, int kv) {
        BatchShape b = new BatchShape();
        for (int i = 0; i < n; i++) {
            b.addDecode(kv);
        }
        return b;
    }

    private static BatchShape prefill(int chunk, int kv) {
        BatchShape b = new BatchShape();
        b.addPrefill(chunk, kv);
        return b;
    }

    @Test
    void theWholeGpuGivesTheOperatorProfilesTime() {
        StepTimeModel profile = StepTimeModels.fromProfile(PROFILE, 1, LLAMA, null);
        SmShareStepTimeModel m = model(profile);
        for (BatchShape b : new BatchShape[] {decodes(6, 3000), prefill(2048, 0), prefill(400, 3000)}) {
            assertThat(m.stepTimeNs(b, 10, RTX4090.memoryBandwidth())).isEqualTo(profile.stepTimeNs(b));
        }
    }

    @Test
    void decodeOnAFewSmsIsCloserToFullSpeedThanPrefill() {
        SmShareStepTimeModel m = model(StepTimeModels.fromProfile(PROFILE, 1, LLAMA, null));
        double bw = RTX4090.memoryBandwidth();
        BatchShape decode = decodes(6, 3000);
        BatchShape prefill = prefill(2048, 0);
        double decodeSlowdown = (double) m.stepTimeNs(decode, 3, bw) / m.stepTimeNs(decode, 10, bw);
        double prefillSlowdown = (double) m.stepTimeNs(prefill, 3, bw) / m.stepTimeNs(prefill, 10, bw);
        // 30 % of 128 SMs x 41 GB/s = 1.57 TB/s > 1,008 GB/s: the decode's weight and KV stream keeps its pace;
        // only its small GEMM tiles and attention waves lose SMs. The prefill's GEMMs lose 70 % of their FLOP/s.
        assertThat(m.saturationShare()).isCloseTo(0.19, within(0.01));
        assertThat(decodeSlowdown).isLessThan(1.35);
        assertThat(prefillSlowdown).isGreaterThan(2.5).isLessThan(1 / 0.3 + 0.01);
        assertThat(decodeSlowdown).isLessThan(prefillSlowdown);
        // Below saturation decode slows as well: 10 % of the SMs pull at most 525 GB/s.
        assertThat(m.bandwidthCap(1)).isCloseTo(0.1 * 128 * SmShareStepTimeModel.DEFAULT_SM_BANDWIDTH, within(1.0));
        assertThat(m.stepTimeNs(decode, 1, bw)).isGreaterThan(m.stepTimeNs(decode, 3, bw));
    }

    @Test
    void fewerSmsOrLessBandwidthIsNeverFaster() {
        SmShareStepTimeModel m = model(StepTimeModels.fromProfile(PROFILE, 1, LLAMA, null));
        double bw = RTX4090.memoryBandwidth();
        for (BatchShape b : new BatchShape[] {decodes(4, 1000), prefill(1024, 2000)}) {
            long prev = 0;
            for (int slot = 10; slot >= 1; slot--) {
                long t = m.stepTimeNs(b, slot, bw);
                assertThat(t).isGreaterThanOrEqualTo(prev);
                prev = t;
            }
            assertThat(m.stepTimeNs(b, 5, bw * 0.4)).isGreaterThanOrEqualTo(m.stepTimeNs(b, 5, bw));
        }
    }

    @Test
    void aPartitionKeepsAtLeastItsShareOfTheBandwidthBesideTheOther() {
        SmShareStepTimeModel m = model(StepTimeModels.fromProfile(PROFILE, 1, LLAMA, null));
        double bw = RTX4090.memoryBandwidth();
        assertThat(m.bandwidthBeside(3, 0)).isEqualTo(bw);                  // alone: its cap (above the peak)
        assertThat(m.bandwidthBeside(3, 0.2 * bw)).isCloseTo(0.8 * bw, within(1.0)); // what the prefill leaves
        assertThat(m.bandwidthBeside(3, bw)).isCloseTo(0.3 * bw, within(1.0));       // never under its share
        // A decode of 6 x 3,000 tokens moves the 16 GB of weights and 18k tokens x 128 KiB of KV.
        assertThat(m.stepBytes(decodes(6, 3000))).isCloseTo(LLAMA.weightBytes() + 18_006.0 * LLAMA.kvBytesPerToken(), within(1.0));
    }
}
