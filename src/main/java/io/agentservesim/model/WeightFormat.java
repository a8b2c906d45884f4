package io.agentservesim.model;

/**
 * How the weights of a model's linear layers (attention projections, dense MLP, routed experts) are
 * stored, and which tensor-core rate their GEMMs run at. Embeddings, the LM head, norms and the MoE router
 * stay in the activation dtype in every format here: the quantized checkpoints vLLM serves leave them
 * unquantized (compressed-tensors {@code ignore: ["lm_head"]}, ModelOpt {@code exclude_modules}, AWQ/GPTQ
 * quantize only linear layers).
 *
 * <p>Bytes per weight include the scales each format stores beside the values:
 * <ul>
 *   <li>{@code fp8} (per-tensor or per-channel scales, e.g. {@code quant_method: fp8} without a block size or
 *       compressed-tensors FP8): 1 byte, the scales negligible;</li>
 *   <li>{@code fp8_block} (DeepSeek-style 128 x 128 blocks, {@code weight_block_size}): 1 byte plus one fp32
 *       scale per 128 x 128 block, 1 + 4/16384;</li>
 *   <li>{@code nvfp4} (ModelOpt / compressed-tensors NVFP4): 4-bit E2M1 values with one FP8 E4M3 scale per
 *       16 values, 0.5 + 1/16 = 0.5625 bytes (the per-tensor fp32 global scale is negligible);</li>
 *   <li>{@code w4a16} (AWQ, GPTQ, compressed-tensors W4A16): 4-bit integers with an fp16 scale and a packed
 *       4-bit zero point per group of {@code group_size} (128 by default): 0.5 + 2.5/group bytes; the GEMM
 *       dequantizes to the activation dtype (Marlin kernels), so it runs at the BF16 rate.</li>
 * </ul>
 * FP8 GEMMs run at the GPU's FP8 rate where it has one (Ada, Hopper, Blackwell), else weight-only at the
 * BF16 rate (vLLM's Marlin FP8 path on Ampere); NVFP4 at the FP4 rate on Blackwell, else weight-only
 * (Marlin NVFP4 on Hopper / Ada).
 *
 * @param name          config name ({@code bf16}, {@code fp8}, {@code fp8_block}, {@code nvfp4}, {@code w4a16}, ...)
 * @param bytesPerWeight bytes per weight of a quantized linear layer, scales included
 * @param compute       the tensor-core rate its GEMMs run at
 */
public record WeightFormat(String name, double bytesPerWeight, TensorRate compute) {

    /** Which dense tensor-core rate a GEMM reaches: BF16/FP16, FP8, or FP4 (falling back where absent). */
    public enum TensorRate { BF16, FP8, FP4 }

    /** Weights in the activation dtype: no quantization. */
    public static WeightFormat unquantized(int dtypeBytes) {
        return new WeightFormat(dtypeBytes == 4 ? "fp32" : "bf16", dtypeBytes, TensorRate.BF16);
    }

    public static final WeightFormat FP8 = new WeightFormat("fp8", 1.0, TensorRate.FP8);
    public static final WeightFormat FP8_BLOCK = new WeightFormat("fp8_block", 1.0 + 4.0 / (128 * 128), TensorRate.FP8);
    public static final WeightFormat NVFP4 = new WeightFormat("nvfp4", 0.5 + 1.0 / 16, TensorRate.FP4);

    /** 4-bit integer weights with an fp16 scale and a 4-bit zero point per group of {@code groupSize}. */
    public static WeightFormat w4a16(int groupSize) {
        if (groupSize <= 0) {
            throw new IllegalArgumentException("group size must be positive, got " + groupSize);
        }
        return new WeightFormat("w4a16", 0.5 + 2.5 / groupSize, TensorRate.BF16);
    }

    public WeightFormat {
        if (!(bytesPerWeight > 0)) {
            throw new IllegalArgumentException("bytesPerWeight must be positive, got " + bytesPerWeight);
        }
    }

    /** Whether the linear weights are stored in fewer bytes than the activations. */
    public boolean quantized(int dtypeBytes) {
        return bytesPerWeight < dtypeBytes;
    }
}
