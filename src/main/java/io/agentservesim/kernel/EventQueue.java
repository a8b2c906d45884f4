package io.agentservesim.kernel;

import java.util.Arrays;

/**
 * Allocation-free binary min-heap of events on parallel primitive arrays. An event is a time in
 * nanoseconds plus a long handle; ties on time break by insertion order (a monotone sequence number),
 * so a run is deterministic. Measured 1.4x-2.4x faster than java.util.PriorityQueue here (STACK.md).
 */
public final class EventQueue {
    private long[] time;
    private long[] seq;
    private long[] handle;
    private int size;
    private long nextSeq;

    public EventQueue() {
        this(64);
    }

    public EventQueue(int initialCapacity) {
        int cap = Math.max(4, initialCapacity);
        time = new long[cap];
        seq = new long[cap];
        handle = new long[cap];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void push(long t, long h) {
        if (size == time.length) {
            int cap = size * 2;
            time = Arrays.copyOf(time, cap);
            seq = Arrays.copyOf(seq, cap);
            handle = Arrays.copyOf(handle, cap);
        }
        long s = nextSeq++;
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(t, s, time[parent], seq[parent])) {
                break;
            }
            time[i] = time[parent];
            seq[i] = seq[parent];
            handle[i] = handle[parent];
            i = parent;
        }
        time[i] = t;
        seq[i] = s;
        handle[i] = h;
    }

    /** Time of the earliest event; undefined when empty. */
    public long peekTime() {
        return time[0];
    }

    /** Handle of the earliest event; undefined when empty. */
    public long peekHandle() {
        return handle[0];
    }

    /** Removes the earliest event (read it first with peekTime/peekHandle). */
    public void pop() {
        int last = --size;
        if (last == 0) {
            return;
        }
        long t = time[last];
        long s = seq[last];
        long h = handle[last];
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && less(time[right], seq[right], time[child], seq[child])) {
                child = right;
            }
            if (!less(time[child], seq[child], t, s)) {
                break;
            }
            time[i] = time[child];
            seq[i] = seq[child];
            handle[i] = handle[child];
            i = child;
        }
        time[i] = t;
        seq[i] = s;
        handle[i] = h;
    }

    private static boolean less(long t1, long s1, long t2, long s2) {
        return t1 < t2 || (t1 == t2 && s1 < s2);
    }
}
