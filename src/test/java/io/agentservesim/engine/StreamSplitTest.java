package io.agentservesim.engine;

import static io.agentservesim.engine.TenMsEngine.MS;
import static io.agentservesim.engine.TenMsEngine.PROGRAM;
import static io.agentservesim.engine.TenMsEngine.TEN_MS_PER_SEQUENCE;
import static io.agentservesim.engine.TenMsEngine.ids;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import io.agentservesim.kernel.EventTarget;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.kv.KvSequence;
import io.agentservesim.model.ModelShape;
import io.agentservesim.perf.BatchShape;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.StepTimeModels;
import io.agentservesim.perf.partition.SmShareStepTimeModel;
import io.agentservesim.perf.roofline.RooflineFactors;
import io.agentservesim.sched.AgentServePolicy;
import io.agentservesim.sched.AgentServeSettings;
import io.agentservesim.sched.SchedulingPolicy;
import io.agentservesim.sched.SglangPolicy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Split engines by hand on a 10 ms-per-sequence engine (time-sliced: SGLang, AgentServe without SM
 * partitioning), and on the RTX 4090 profile with SM partitions (a decode keeps stepping beside a long prefill).
 */
class StreamSplitTest {

    private static final Map<Request, Long> MAX_GAP = new HashMap<>();

    /** Turn A (64 new tokens, 3 outputs) at 0 ms and turn B ({@code bPrompt}, 3 outputs) at 15 ms. */
    private static Map<Integer, Request> run(SchedulingPolicy policy, StepTimeModel time, SmShareStepTimeModel shares,
                                             int[] aPrompt, int[] bPrompt, int outputs, long bAtNs) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(2048, 8, 8192, 16, 2000, true, true, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, time, (i, r) -> {
            done.put(r.id(), r);
            long max = 0;
            for (long g : r.tokenGaps().toLongArray()) {
                max = Math.max(max, g);
            }
            MAX_GAP.put(r, max);
        }, false, policy);
        engine.useStreams(policy.streams(), shares);
        int[][] prompts = {aPrompt, bPrompt};
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                int[] p = prompts[payload];
                engine.submitTurn(payload, now, p.length, outputs, new KvSequence(p, payload + 1), PROGRAM, 0, null);
            }
        });
        sim.schedule(0, feeder, 0);
        sim.schedule(bAtNs, feeder, 1);
        sim.run();
        return done;
    }

    private static AgentServeSettings timeSliced() {
        return new AgentServeSettings(50, 100, 0.8, 0.3, 0.1, 0.9, 512, 64, 4096, 128, false, false, 41);
    }

    @Test
    void sglangRunsAWaitingPrefillBeforeTheNextDecode() {
        // 0-10 A prefill; 10-20 A decode; B (cold) waits; 20-30 B prefill alone; 30-50 decode A+B; 50-60 decode B.
        Map<Integer, Request> d = run(new SglangPolicy(), TEN_MS_PER_SEQUENCE, null, ids(0, 64), ids(1000, 64), 3, 15 * MS);
        assertThat(d.get(0).firstTokenNs()).isEqualTo(10 * MS);
        assertThat(d.get(0).lastTokenNs()).isEqualTo(50 * MS);
        assertThat(d.get(1).firstTokenNs()).isEqualTo(30 * MS);
        assertThat(d.get(1).lastTokenNs()).isEqualTo(60 * MS);
    }

    @Test
    void agentServeTimeSlicedRidesAResumeOnTheDecodeStep() {
        // B shares A's 64-token prompt (4 cached blocks) and adds 32 tokens: a resume, prefilled in the decode
        // stream's step with A's decode: 20-40 ms [A decode, B's 32-token chunk], then 40-50, 50-60 B alone.
        int[] b = ids(0, 96);
        Map<Integer, Request> d = run(new AgentServePolicy(timeSliced()), TEN_MS_PER_SEQUENCE, null, ids(0, 64), b, 3,
                15 * MS);
        assertThat(d.get(1).prefillKind()).isEqualTo(PrefillKind.RESUME);
        assertThat(d.get(1).firstTokenNs()).isEqualTo(40 * MS);
        assertThat(d.get(0).lastTokenNs()).isEqualTo(40 * MS);
        assertThat(d.get(1).lastTokenNs()).isEqualTo(60 * MS);
        // SGLang queues the same resume with the prefills: 20-30 B's chunk alone, 30-50 A+B, 50-60 B.
        Map<Integer, Request> s = run(new SglangPolicy(), TEN_MS_PER_SEQUENCE, null, ids(0, 64), b, 3, 15 * MS);
        assertThat(s.get(1).firstTokenNs()).isEqualTo(30 * MS);
        assertThat(s.get(0).lastTokenNs()).isEqualTo(50 * MS);
    }

    @Test
    void agentServeTimeSlicedAlternatesAColdPrefillWithDecodes() {
        // Cold B: the streams take turns. 10-20 A decode; 20-30 B prefill (prefill's turn); 30-50 A+B decode.
        Map<Integer, Request> d = run(new AgentServePolicy(timeSliced()), TEN_MS_PER_SEQUENCE, null, ids(0, 64),
                ids(1000, 64), 3, 15 * MS);
        assertThat(d.get(1).prefillKind()).isEqualTo(PrefillKind.COLD);
        assertThat(d.get(1).firstTokenNs()).isEqualTo(30 * MS);
        assertThat(d.get(0).lastTokenNs()).isEqualTo(50 * MS);
    }

    @Test
    void withSmPartitionsDecodesKeepSteppingBesideALongPrefill() {
        Path repo = Path.of("").toAbsolutePath();
        ModelShape llama = ModelShape.load(repo.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json"));
        StepTimeModel profile = StepTimeModels.fromProfile(
                repo.resolve("data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16"), 1, llama, null);
        GpuSpec gpu = GpuCatalog.builtin().get("rtx_4090");
        SmShareStepTimeModel shares = new SmShareStepTimeModel(profile, gpu, llama, 1,
                RooflineFactors.builtin().forGpu(gpu), null, SmShareStepTimeModel.DEFAULT_SM_BANDWIDTH);
        AgentServeSettings partitioned = new AgentServeSettings(50, 100, 0.8, 0.3, 0.1, 0.9, 512, 64, 4096, 128,
                false, true, 41);
        // A decodes 200 tokens; B's cold 6,000-token prompt arrives at 50 ms (3 chunks of 2,048).
        long full2048 = profile.stepTimeNs(prefillShape(2048, 0));
        Map<Integer, Request> split = run(new AgentServePolicy(partitioned), profile, shares, ids(0, 500),
                ids(100_000, 6000), 200, 50 * MS);
        Map<Integer, Request> sglang = run(new SglangPolicy(), profile, null, ids(0, 500), ids(100_000, 6000), 200, 50 * MS);
        long splitMaxGap = maxGap(split.get(0));
        long sglangMaxGap = maxGap(sglang.get(0));
        // Time-sliced, A waits for a whole 2,048-token chunk on the whole GPU; partitioned, its decode runs beside
        // the chunk on 30 % of the SMs, which still pull the whole bandwidth (saturation at 19 %).
        assertThat(sglangMaxGap).isGreaterThanOrEqualTo(full2048);
        assertThat(splitMaxGap).isLessThan(full2048 / 3);
        // The cold prefill pays for it: on 70 % of the SMs its chunks take longer than on the whole GPU.
        assertThat(split.get(1).firstTokenNs() - 50 * MS).isGreaterThan(sglang.get(1).firstTokenNs() - 50 * MS);
    }

    @Test
    void llamaCppTakesOnePromptPerStep() {
        // Cold 64-token prompts, 2 outputs each, 10 ms per sequence, no split: A at 0 ms (alone 0-10), B and C at
        // 5 ms. llama-cpp: 10-30 A's decode + B's prompt, 30-50 B's decode + C's prompt. vLLM's FCFS takes both
        // waiting prompts beside A's decode: 10-40.
        long[] llama = firstTokens(new io.agentservesim.sched.LlamaCppPolicy());
        assertThat(llama).containsExactly(10 * MS, 30 * MS, 50 * MS);
        long[] fcfs = firstTokens(new io.agentservesim.sched.FcfsPolicy());
        assertThat(fcfs).containsExactly(10 * MS, 40 * MS, 40 * MS);
    }

    private static long[] firstTokens(SchedulingPolicy policy) {
        Simulation sim = new Simulation();
        Map<Integer, Request> done = new HashMap<>();
        EngineConfig config = new EngineConfig(8192, 8, 8192, 16, 2000, true, false, 0, true, false, 0);
        EngineInstance engine = new EngineInstance(0, sim, config, TEN_MS_PER_SEQUENCE, (i, r) -> done.put(r.id(), r),
                false, policy);
        int feeder = sim.register(new EventTarget() {
            @Override
            public void onEvent(long now, int payload) {
                int[] p = ids(1000 * payload, 64);
                engine.submitTurn(payload, now, p.length, 2, new KvSequence(p, payload + 1), PROGRAM, 0, null);
            }
        });
        sim.schedule(0, feeder, 0);
        sim.schedule(5 * MS, feeder, 1);
        sim.schedule(5 * MS, feeder, 2);
        sim.run();
        return new long[] {done.get(0).firstTokenNs(), done.get(1).firstTokenNs(), done.get(2).firstTokenNs()};
    }

    private static BatchShape prefillShape(int chunk, int kv) {
        BatchShape b = new BatchShape();
        b.addPrefill(chunk, kv);
        return b;
    }

    /** A turn's largest gap between tokens, recorded when it finished. */
    private static long maxGap(Request r) {
        return MAX_GAP.get(r);
    }
}
