package io.agentservesim.sched;

import io.agentservesim.engine.StreamController;
import io.agentservesim.engine.StreamSplit;

/**
 * SGLang's default scheduling on one GPU, as AgentServe's baseline: a step is a prefill batch or a decode batch,
 * never both ({@code enable_mixed_chunk} off, its default), and a prefill batch goes first whenever requests wait
 * (its scheduler runs {@code get_new_batch_prefill} before the running decode batch), chunked by
 * {@code max_num_batched_tokens} ({@code chunked_prefill_size}). Time-sliced: the whole GPU per step, no SM
 * partition. FCFS waiting order ({@code schedule_policy: fcfs}; its default LPM order is left out). Left out: the
 * radix tree's own eviction order (the engine's prefix cache is vLLM's).
 */
public final class SglangPolicy implements FcfsOrder {
    public static final String NAME = "sglang";

    private static final StreamController NONE = new StreamController() {
        @Override public int decodeSlot() { return 10; }
        @Override public int resumeBudget() { return 0; }
        @Override public void onDecodeStep(long nowNs, long gapNs, boolean beside) { }
    };

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public StreamSplit streams() {
        return new StreamSplit(false, false, false, NONE);
    }
}
