package io.agentservesim.residency;

/**
 * A transfer link (PCIe, CXL, NVLink) with a bandwidth and a latency. Transfers are served one after
 * another (first come, first served), so a busy link delays the next one: time = latency + bytes /
 * bandwidth, starting when both the request and the link are ready. Transfers overlap with compute.
 */
public final class Link {
    private final String name;
    private final double bytesPerNs;
    private final long latencyNs;
    private long busyUntilNs;
    private long bytesMoved;

    public Link(String name, double bytesPerSecond, long latencyNs) {
        if (!(bytesPerSecond > 0) || latencyNs < 0) {
            throw new IllegalArgumentException(name + ": bandwidth must be > 0 and latency >= 0");
        }
        this.name = name;
        this.bytesPerNs = bytesPerSecond / 1e9;
        this.latencyNs = latencyNs;
    }

    /** Duration of moving {@code bytes} on an idle link. */
    public long durationNs(long bytes) {
        return bytes <= 0 ? 0 : latencyNs + (long) Math.ceil(bytes / bytesPerNs);
    }

    /** Queues a transfer of {@code bytes} ready at {@code now}; returns when it completes. */
    public long transfer(long now, long bytes) {
        if (bytes <= 0) {
            return now;
        }
        long start = Math.max(now, busyUntilNs);
        busyUntilNs = start + durationNs(bytes);
        bytesMoved += bytes;
        return busyUntilNs;
    }

    public String name() { return name; }
    /** When the transfers queued so far are done (the link is idle from then on). */
    public long busyUntilNs() { return busyUntilNs; }
    /** Bandwidth, bytes per ns. */
    public double bytesPerNs() { return bytesPerNs; }
    public long bytesMoved() { return bytesMoved; }
}
