package io.agentservesim.hardware;

/**
 * A CUDA compute capability, e.g. 9.0 for Hopper. It decides which attention kernel vLLM runs on the
 * GPU, and so how the roofline prices attention ({@code perf.roofline.AttentionKernel}).
 *
 * @param major architecture generation (8 Ampere/Ada, 9 Hopper, 10 data-centre Blackwell, 12 RTX Blackwell)
 * @param minor revision within it
 */
public record ComputeCapability(int major, int minor) {
    public ComputeCapability {
        if (major < 1 || minor < 0) {
            throw new IllegalArgumentException("compute capability must be major.minor with major >= 1, got "
                    + major + "." + minor);
        }
    }

    /** Parses "major.minor" (e.g. "8.9"); null when the text is not of that form. */
    public static ComputeCapability parse(String text) {
        String t = text.strip();
        int dot = t.indexOf('.');
        if (dot <= 0 || dot == t.length() - 1) {
            return null;
        }
        try {
            int major = Integer.parseInt(t.substring(0, dot));
            int minor = Integer.parseInt(t.substring(dot + 1));
            return major >= 1 && minor >= 0 ? new ComputeCapability(major, minor) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
