package io.agentservesim.program;

import java.util.Arrays;

/**
 * A turn's prompt (or output) token ids, as a slice of a possibly longer backing array. The turns of
 * one agent chain share one backing array (turn k's prompt is a prefix of turn k+1's, and a generated
 * chain's outputs are slices of it too), so a program's ids cost memory once for its final context
 * rather than once per turn. Immutable by contract: the backing array is never written after
 * construction.
 */
public final class TokenIds {
    private final int[] backing;
    private final int offset;
    private final int length;

    private TokenIds(int[] backing, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > backing.length) {
            throw new IllegalArgumentException("slice [" + offset + ", " + (offset + length) + ") outside [0, "
                    + backing.length + "]");
        }
        this.backing = backing;
        this.offset = offset;
        this.length = length;
    }

    /** All of {@code ids}; the caller hands the array over and must not modify it afterwards. */
    public static TokenIds of(int[] ids) {
        return new TokenIds(ids, 0, ids.length);
    }

    /** The first {@code length} ids of {@code backing}, sharing it. */
    public static TokenIds prefixOf(int[] backing, int length) {
        return new TokenIds(backing, 0, length);
    }

    /** {@code backing[from, from + length)}, sharing it. */
    public static TokenIds sliceOf(int[] backing, int from, int length) {
        return new TokenIds(backing, from, length);
    }

    /** The first {@code newLength} of these ids, sharing the backing array. */
    public TokenIds prefix(int newLength) {
        if (newLength > length) {
            throw new IllegalArgumentException("prefix of " + newLength + " > length " + length);
        }
        return new TokenIds(backing, offset, newLength);
    }

    /**
     * These ids followed by {@code next}'s: a view of the shared backing array when {@code next} already
     * follows these ids there (a chain's prompt and output), else a fresh array.
     */
    public TokenIds followedBy(TokenIds next) {
        int end = offset + length;
        if (next.backing == backing && next.offset == end) {
            return new TokenIds(backing, offset, length + next.length);
        }
        if (end + next.length <= backing.length
                && Arrays.equals(backing, end, end + next.length, next.backing, next.offset, next.offset + next.length)) {
            return new TokenIds(backing, offset, length + next.length);
        }
        int[] ids = new int[length + next.length];
        copyTo(ids, 0);
        next.copyTo(ids, length);
        return new TokenIds(ids, 0, ids.length);
    }

    /** Copies the ids into {@code dest} at {@code destPos}. */
    public void copyTo(int[] dest, int destPos) {
        System.arraycopy(backing, offset, dest, destPos, length);
    }

    public int length() {
        return length;
    }

    public int get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return backing[offset + index];
    }

    /** The ids as an exact-length array: the backing array itself when it fits, so do not modify it. */
    public int[] toArray() {
        return offset == 0 && length == backing.length ? backing : Arrays.copyOfRange(backing, offset, offset + length);
    }

    /**
     * An array whose first {@link #length()} entries are these ids: the backing array itself when the
     * slice starts it (do not modify it), else a copy.
     */
    public int[] leadingArray() {
        return offset == 0 ? backing : toArray();
    }

    /** Whether these ids begin with all of {@code prefix}. */
    public boolean startsWith(TokenIds prefix) {
        return prefix.length <= length && Arrays.equals(backing, offset, offset + prefix.length,
                prefix.backing, prefix.offset, prefix.offset + prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenIds other && Arrays.equals(backing, offset, offset + length,
                other.backing, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + backing[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "TokenIds[" + length + "]";
    }
}
