package io.agentservesim.perf.kernel;

/**
 * Speed-of-light time of a GEMM C[m,n] = A[m,k] × B[k,n] on one GPU in one weight format: the longer of
 * 2·m·n·k FLOPs at the format's dense tensor rate and the bytes of A, B and C at the memory bandwidth.
 * Only its ratios matter to the kernel tables (utilisation held or transferred between shapes), so no
 * efficiency factor is applied.
 *
 * @param flops         dense tensor-core FLOP/s of the format's math (BF16, FP8 or FP4)
 * @param bandwidth     memory bytes/s
 * @param weightBytes   bytes per weight element, scales included (nvfp4: 0.5 + one FP8 scale per 16)
 * @param inputBytes    bytes per activation element entering the GEMM
 */
record GemmSol(double flops, double bandwidth, double weightBytes, double inputBytes) {
    /** Output activations are written in BF16 whatever the weight format. */
    private static final double OUTPUT_BYTES = 2.0;

    double us(double m, double n, double k) {
        double compute = 2.0 * m * n * k / flops;
        double memory = (k * n * weightBytes + m * k * inputBytes + m * n * OUTPUT_BYTES) / bandwidth;
        return Math.max(compute, memory) * 1e6;
    }
}
