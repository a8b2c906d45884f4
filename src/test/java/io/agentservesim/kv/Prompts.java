package io.agentservesim.kv;

/** Token-id arrays for tests. */
final class Prompts {
    private Prompts() {
    }

    /** {@code length} consecutive token ids starting at {@code first}. */
    static int[] range(int first, int length) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = first + i;
        }
        return ids;
    }

    /** {@code prefix} followed by {@code extra} consecutive ids starting at {@code first}. */
    static int[] extend(int[] prefix, int first, int extra) {
        int[] ids = java.util.Arrays.copyOf(prefix, prefix.length + extra);
        for (int i = 0; i < extra; i++) {
            ids[prefix.length + i] = first + i;
        }
        return ids;
    }
}
