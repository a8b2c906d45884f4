package io.agentservesim.program;

import java.util.Arrays;

/**
 * A turn's prompt (or output) token ids, as a prefix of a possibly longer backing array. The turns of
 * one agent chain share one backing array (turn k's prompt is a prefix of turn k+1's), so a program's
 * ids cost memory once for its final context rather than once per turn. Immutable by contract: the
 * backing array is never written after construction.
 */
public final class TokenIds {
    private final int[] backing;
    private final int length;

    private TokenIds(int[] backing, int length) {
        if (length < 0 || length > backing.length) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + backing.length + "]");
        }
        this.backing = backing;
        this.length = length;
    }

    /** All of {@code ids}; the caller hands the array over and must not modify it afterwards. */
    public static TokenIds of(int[] ids) {
        return new TokenIds(ids, ids.length);
    }

    /** The first {@code length} ids of {@code backing}, sharing it. */
    public static TokenIds prefixOf(int[] backing, int length) {
        return new TokenIds(backing, length);
    }

    /** The first {@code newLength} of these ids, sharing the backing array. */
    public TokenIds prefix(int newLength) {
        if (newLength > length) {
            throw new IllegalArgumentException("prefix of " + newLength + " > length " + length);
        }
        return new TokenIds(backing, newLength);
    }

    /** Copies the ids into {@code dest} at {@code destPos}. */
    public void copyTo(int[] dest, int destPos) {
        System.arraycopy(backing, 0, dest, destPos, length);
    }

    public int length() {
        return length;
    }

    public int get(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return backing[index];
    }

    /** The ids as an exact-length array: the backing array itself when it fits, so do not modify it. */
    public int[] toArray() {
        return length == backing.length ? backing : Arrays.copyOf(backing, length);
    }

    /** Whether these ids begin with all of {@code prefix}. */
    public boolean startsWith(TokenIds prefix) {
        return prefix.length <= length
                && Arrays.equals(backing, 0, prefix.length, prefix.backing, 0, prefix.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenIds other
                && Arrays.equals(backing, 0, length, other.backing, 0, other.length);
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + backing[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "TokenIds[" + length + "]";
    }
}
