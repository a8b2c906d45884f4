package io.agentservesim.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class ClosedLoopEstimateTest {
    private static final Path LLAMA8B = Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json");
    private static final Path LLAMA70B = Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-70B.json");

    /** 1 ms per decode-only step, 1 ms + 1 µs per prefill token otherwise. */
    private static final StepTimeModel FIXED = new StepTimeModel() {
        @Override
        public long stepTimeNs(BatchShape b) {
            long prefill = b.totalTokens() - b.numDecodes();
            return 1_000_000L + prefill * 1_000L;
        }

        @Override
        public String source() {
            return "fixed";
        }
    };

    private static EngineConfig engine() {
        return new EngineConfig(2048, 256, 4096, 16, 10_000, true, true, 0, true, false, 0);
    }

    @Test
    void oneClientDecodesOneTokenPerStep() {
        ClosedLoopEstimate.Result r = ClosedLoopEstimate.simulate(engine(), FIXED, 100, 11, 1);
        // synchronous engine: prefill step (1.1 ms) gives the first token, then 10 decode steps of 1 ms
        assertThat(r.ttftMs()).isCloseTo(1.1, Offset.offset(1e-9));
        assertThat(r.tpotMs()).isCloseTo(1.0, Offset.offset(1e-9));
        // back to back: 11 tokens per 11.1 ms
        assertThat(r.outputTokS()).isCloseTo(11 / 11.1e-3, Offset.offset(1e-6));
    }

    @Test
    void atSmallConcurrencyThroughputIsClientsOverTpot() {
        ClosedLoopEstimate.Result r = ClosedLoopEstimate.simulate(engine(), FIXED, 16, 500, 4);
        assertThat(r.tpotMs()).isCloseTo(1.0, Offset.offset(0.01));
        assertThat(r.outputTokS()).isCloseTo(4 / 1e-3, Offset.offset(4 / 1e-3 * 0.01));
    }

    @Test
    void rooflineOnH100AtConcurrencyOneHasTpotOfOneDecodeStep() {
        ClosedLoopEstimate.Result r = ClosedLoopEstimate.run(GpuCatalog.builtin().get("h100_sxm"), LLAMA8B, 1,
                1024, 128, 1, null);
        assertThat(r.stepTimeSource()).isEqualTo("roofline:h100_sxm/Llama-3.1-8B/tp1");
        // 16 GB of weights at 3.35 TB/s is 4.8 ms; measured vLLM is about 6.5 ms (VALIDATION.md)
        assertThat(r.tpotMs()).isBetween(5.0, 8.0);
        assertThat(r.outputTokS()).isCloseTo(1000.0 / (r.tpotMs() * 127 / 128 + r.ttftMs() / 128),
                Offset.offset(5.0));
        assertThat(r.toJson()).contains("\"ttft_ms\"", "\"tpot_ms\"", "\"output_tok_s\"");
    }

    @Test
    void tensorParallelismSpeedsUpDecode() {
        GpuCatalog c = GpuCatalog.builtin();
        double tp1 = ClosedLoopEstimate.run(c.get("h100_sxm"), LLAMA8B, 1, 512, 64, 4, null).tpotMs();
        double tp2 = ClosedLoopEstimate.run(c.get("h100_sxm"), LLAMA8B, 2, 512, 64, 4, null).tpotMs();
        assertThat(tp2).isLessThan(tp1 * 0.8);
    }

    @Test
    void badInputIsAnInputExceptionNamingWhatToFix() {
        GpuCatalog c = GpuCatalog.builtin();
        assertThatThrownBy(() -> ClosedLoopEstimate.run(c.get("h100_sxm"), LLAMA8B, 3, 128, 16, 1, null))
                .isInstanceOf(InputException.class).hasMessageContaining("does not divide the 32 attention heads");
        assertThatThrownBy(() -> ClosedLoopEstimate.run(c.get("l4"), LLAMA70B, 1, 128, 16, 1, null))
                .isInstanceOf(InputException.class).hasMessageContaining("does not fit").hasMessageContaining("--tp");
        assertThatThrownBy(() -> c.get("h100"))
                .isInstanceOf(InputException.class).hasMessageContaining("valid ids").hasMessageContaining("h100_sxm");
    }

    /**
     * serve.py's semaphore client: 8 slots over 64 requests of ~150 input and ~50 output tokens on a
     * synchronous engine. The first request reaches an idle engine and is prefilled alone (1.15 ms); the
     * other 7 of the first burst are prefilled in the next step, beside request 0's first decode. With exact
     * lengths that pattern repeats every round: each round's requests start prefilling at just 2 instants,
     * and exactly one step per round (8 rounds) mixes a prefill with decodes. With lengths drawn +-50 % the
     * first round finishes at different steps, so the second round's prefills start at (nearly) as many
     * instants as there are requests and many more steps carry a prefill next to running decodes.
     */
    @Test
    void semaphoreClientsDesynchroniseAfterTheFirstRoundWithVaryingLengths() {
        long[] exact = new long[64];
        ClosedLoopEstimate.Result lockstep = ClosedLoopEstimate.simulate(engine(), FIXED, 150, 50,
                new ClosedLoopEstimate.Client(8, 64, 0.0, 1L), exact);
        assertThat(exact[0]).isZero();
        assertThat(java.util.Arrays.stream(exact, 1, 8).distinct().toArray()).containsExactly(1_150_000L);
        assertThat(java.util.Arrays.stream(exact, 8, 16).distinct().count()).isEqualTo(2);
        assertThat(lockstep.mixedSteps()).isEqualTo(8);

        long[] varying = new long[64];
        ClosedLoopEstimate.Result drifting = ClosedLoopEstimate.simulate(engine(), FIXED, 150, 50,
                new ClosedLoopEstimate.Client(8, 64, 0.5, 1L), varying);
        // the first burst still leaves together at t = 0: request 0 alone, then the other 7 in one step
        assertThat(java.util.Arrays.stream(varying, 1, 8).distinct().count()).isEqualTo(1);
        // the second round's 8 prefills start at 6 or more different instants
        assertThat(java.util.Arrays.stream(varying, 8, 16).distinct().count()).isGreaterThanOrEqualTo(6);
        assertThat(drifting.mixedSteps()).isGreaterThan(3 * lockstep.mixedSteps());
        // a request arriving mid-round shares a step with fewer prefills: lower mean TTFT than the bursts
        assertThat(drifting.ttftMs()).isLessThan(lockstep.ttftMs());
    }

    @Test
    void lengthsFollowVllmsRandomDatasetRange() {
        LengthSampler s = new LengthSampler(7L, 0.25);
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int i = 0; i < 10_000; i++) {
            int n = s.next(1000);
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        assertThat(min).isEqualTo(750);
        assertThat(max).isEqualTo(1250);
        assertThat(new LengthSampler(7L, 0.0).next(1000)).isEqualTo(1000);
    }

    @Test
    void reportsTheEngineAndClientSettingsItUsed() {
        ClosedLoopEstimate.Result r = ClosedLoopEstimate.run(GpuCatalog.builtin().get("h100_sxm"), LLAMA8B, 2,
                512, 16, new ClosedLoopEstimate.Client(4, 40, 0.1, 3L), null);
        assertThat(r.toJson()).contains("\"tensor_parallel_size\": 2", "\"max_num_seqs\": 1024",
                "\"max_num_batched_tokens\": 8192", "\"enable_chunked_prefill\": true",
                "\"step_time_source\": \"roofline:h100_sxm/Llama-3.1-8B/tp2\"",
                "40 prompts, request rate inf, max concurrency 4, random range ratio 0.1");
        assertThat(r.toTable()).contains("max_num_batched_tokens 8192", "max_num_seqs 1024", "chunked prefill on",
                "tensor_parallel_size 2", "batch limits: max_num_batched_tokens 8192");
        assertThatThrownBy(() -> ClosedLoopEstimate.run(GpuCatalog.builtin().get("h100_sxm"), LLAMA8B, 1, 128, 16,
                new ClosedLoopEstimate.Client(4, 40, 1.5, 0L), null))
                .isInstanceOf(InputException.class).hasMessageContaining("--random-range-ratio");
    }
}
