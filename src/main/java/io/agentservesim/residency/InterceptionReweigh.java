package io.agentservesim.residency;

import io.agentservesim.kv.BlockPool;
import java.util.List;

/**
 * InferCept's per-iteration decision for paused (preserved) contexts (WukLab/InferCept
 * {@code scheduler_v2.py}, {@code _schedule_chunk_and_fill}; paper §4): at every engine step each pinned
 * context is weighed again, preserve waste (the predicted remaining gap x its tokens) against chunked
 * discard waste ({@link MinWaste}); one that now costs more to keep than to recompute leaves the GPU.
 * With a host tier it is swapped out within the step's swap budget, the blocks the host link moves during
 * this forward pass (bandwidth x step time, whole blocks, as InferCept sizes T_swap(N) = T_fwd(B)), so the
 * copy hides behind compute; leading blocks first, the rest of the context freed as a discard. Without a
 * tier, or once the budget is spent, it is discarded: its blocks go to the LRU prefix cache (vLLM v1 frees
 * a discarded context's blocks, which may still hit), its recompute left to the next turn.
 *
 * <p>Left out: InferCept also preempts running requests by partial swap under pressure and restores in
 * budgeted chunks; here pressure breaks pins (expired first, then the longest remaining), and restores
 * run over the serial host link, which paces them at the same bandwidth.
 */
final class InterceptionReweigh {
    private final MinWaste waste;
    private final BlockPool pool;
    private final HostTier host;
    private final long bytesPerBlock;
    private final double linkBytesPerNs;
    /** Blocks the host link can still move during the step in flight. */
    private long budgetBlocks;

    InterceptionReweigh(MinWaste waste, BlockPool pool, HostTier host, long bytesPerBlock) {
        this.waste = waste;
        this.pool = pool;
        this.host = host;
        this.bytesPerBlock = bytesPerBlock;
        this.linkBytesPerNs = host == null ? 0 : host.link().bytesPerNs();
    }

    /** What leaving the GPU did to a paused context. */
    interface Exit {
        /** The pin is released; {@code swappedBytes} of its leading blocks were copied to the host tier. */
        void leave(Pin p, long now, long swappedBytes, boolean swapped);
    }

    /**
     * A forward pass of {@code durationNs} starts: the swap budget until the next one is what the host link
     * moves meanwhile (whole blocks). Pressure met while the engine then idles spends what is left of it.
     */
    void newStep(long durationNs) {
        budgetBlocks = host == null ? 0 : (long) Math.floor(durationNs * linkBytesPerNs / bytesPerBlock);
    }

    /**
     * The step just started at {@code now} computes {@code batchTokens} tokens beside {@code runningTokens}
     * tokens of running KV: re-weighs every active pin in {@code pins} (slot order).
     */
    void onStep(List<Pin> pins, long now, int batchTokens, long runningTokens, Exit exit) {
        for (int i = 0, n = pins.size(); i < n; i++) {
            Pin p = pins.get(i);
            if (p == null || !p.active) {
                continue;
            }
            long remaining = p.deadlineNs - now;
            if (remaining <= 0) {
                continue; // its deadline event releases it
            }
            if (waste.discard(p.tokens, batchTokens, runningTokens) >= MinWaste.preserve(remaining, p.tokens)) {
                continue;
            }
            boolean swapped = budgetBlocks > 0 && p.seq.numRegisteredBlocks() > 0;
            exit.leave(p, now, swapOut(p, now), swapped);
        }
    }

    /**
     * Copies the leading blocks of {@code p} not yet on the host tier, as many as the current step's swap
     * budget has left, and returns the bytes copied (0 without a tier). Pressure that breaks a preserved
     * context calls this too: InferCept swaps its preemption victims within the same budget.
     */
    long swapOut(Pin p, long now) {
        if (budgetBlocks <= 0) {
            return 0;
        }
        int registered = p.seq.numRegisteredBlocks();
        int held = host.match(pool, p.seq, 0, registered);
        int upTo = (int) Math.min(registered, held + budgetBlocks);
        int copied = host.store(pool, p.seq, upTo, now);
        budgetBlocks -= copied;
        long bytes = copied * bytesPerBlock;
        if (bytes > 0) {
            host.link().transfer(now, bytes);
        }
        return bytes;
    }
}
