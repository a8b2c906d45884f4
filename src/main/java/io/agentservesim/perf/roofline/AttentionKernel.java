package io.agentservesim.perf.roofline;

import io.agentservesim.hardware.ComputeCapability;
import io.agentservesim.hardware.GpuSpec;

/**
 * The attention kernel vLLM (v1, default backend, paged KV) runs on a GPU, as far as the roofline needs
 * to know it: how many query rows one thread block computes, and whether a batch's decodes share the
 * prefill kernel or get their own.
 *
 * <p>vLLM's CUDA platform ({@code vllm/platforms/cuda.py}, {@code _get_backend_priorities}) prefers
 * FlashInfer on compute capability 10.x and FlashAttention elsewhere; its FlashAttention backend runs
 * version 3 on Hopper (9.x) and version 2 otherwise ({@code get_flash_attn_version}). FlashAttention-2
 * with a paged KV cache always takes its split-KV kernel ({@code run_mha_fwd_splitkv_dispatch}), whose
 * query tile is fixed at 64 rows for every head size; FlashAttention-3 and FlashInfer's prefill use
 * 128-row tiles for head size 128, and both schedule tiles over persistent thread blocks. vLLM's FlashInfer backend splits each batch into its decodes and its
 * prefills ({@code split_decodes_and_prefills}) and runs the decode kernel on the former.
 */
public enum AttentionKernel {
    /** FlashAttention-2, split-KV kernel (paged KV): 64-row query tiles; decodes ride in the varlen launch. */
    FLASH_ATTENTION_2(64, false, true),
    /** FlashAttention-3 (Hopper): 128-row query tiles; decodes ride in the varlen launch. */
    FLASH_ATTENTION_3(128, false, false),
    /** FlashInfer (data-centre Blackwell): 128-row prefill tiles; decodes run the decode kernel. */
    FLASHINFER(128, true, false);

    private final double queryTile;
    private final boolean separateDecodes;
    private final boolean blockPerTile;

    AttentionKernel(double queryTile, boolean separateDecodes, boolean blockPerTile) {
        this.queryTile = queryTile;
        this.separateDecodes = separateDecodes;
        this.blockPerTile = blockPerTile;
    }

    /** Query rows per thread block: a shorter chunk, or a decode's single query, is padded to it. */
    public double queryTile() {
        return queryTile;
    }

    /** Whether a mixed batch's decodes run the decode kernel rather than the prefill (varlen) kernel. */
    public boolean separateDecodes() {
        return separateDecodes;
    }

    /**
     * Whether the prefill kernel launches one thread block per (tile, head), each paying its own setup
     * (FlashAttention-2), rather than one persistent block per SM that loops over tiles (FlashAttention-3's
     * tile schedulers; FlashInfer's planned work list), which amortises that setup.
     */
    public boolean blockPerTile() {
        return blockPerTile;
    }

    /** vLLM's default for the GPU; FlashAttention-2 when the catalog gives no compute capability. */
    public static AttentionKernel forGpu(GpuSpec gpu) {
        ComputeCapability cc = gpu.computeCapability();
        if (cc == null) {
            return FLASH_ATTENTION_2;
        }
        return switch (cc.major()) {
            case 9 -> FLASH_ATTENTION_3;
            case 10 -> FLASHINFER;
            default -> FLASH_ATTENTION_2;
        };
    }
}
