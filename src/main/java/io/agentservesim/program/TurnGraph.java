package io.agentservesim.program;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Checks that a program's turns form a valid dependency DAG and orders them. A problem is reported as
 * one sentence naming the turn by the caller's own node names (a trace's node ids), so a reader can
 * prefix it with FILE:LINE. Cycles are found with an iterative depth-first search (three colours)
 * and reported as the node path that closes the loop; the order is Kahn's algorithm, taking the
 * lowest ready index first so that a chain keeps its index order.
 */
public final class TurnGraph {
    private static final byte WHITE = 0;
    private static final byte GREY = 1;
    private static final byte BLACK = 2;

    private TurnGraph() {
    }

    /** The first problem with {@code turns}, or null when they form a valid DAG. */
    public static String problem(List<Turn> turns, IntFunction<String> nodeName) {
        int n = turns.size();
        if (n == 0) {
            return "expected at least one turn";
        }
        for (int i = 0; i < n; i++) {
            String p = turnProblem(turns.get(i), i, n, nodeName);
            if (p != null) {
                return p;
            }
        }
        int[] cycle = findCycle(turns);
        if (cycle != null) {
            StringBuilder sb = new StringBuilder("dependency cycle: ");
            for (int i = 0; i < cycle.length; i++) {
                sb.append(i == 0 ? "" : " -> ").append(nodeName.apply(cycle[i]));
            }
            return sb.append(" (expected an acyclic graph)").toString();
        }
        return null;
    }

    private static String turnProblem(Turn t, int position, int n, IntFunction<String> nodeName) {
        String name = "node " + nodeName.apply(position);
        if (t.index() != position) {
            return name + ": index " + t.index() + " does not match its position " + position;
        }
        if (t.inputTokens() < 1) {
            return name + ": expected input tokens >= 1, got " + t.inputTokens();
        }
        if (t.outputTokens() < 1) {
            return name + ": expected output tokens >= 1, got " + t.outputTokens();
        }
        if (t.promptTokenIds() != null && t.promptTokenIds().length() != t.inputTokens()) {
            return name + ": expected " + t.inputTokens() + " prompt token ids, got " + t.promptTokenIds().length();
        }
        if (t.outputTokenIds() != null && t.outputTokenIds().length() != t.outputTokens()) {
            return name + ": expected " + t.outputTokens() + " output token ids, got " + t.outputTokenIds().length();
        }
        for (int k = 0; k < t.parentCount(); k++) {
            int parent = t.parent(k);
            if (parent < 0 || parent >= n) {
                return name + ": parent index " + parent + " does not exist";
            }
            if (parent == position) {
                return "dependency cycle: " + nodeName.apply(position) + " -> " + nodeName.apply(position)
                        + " (expected an acyclic graph)";
            }
            if (t.parentDelayNs(k) < 0) {
                return name + ": expected a delay >= 0 after parent " + nodeName.apply(parent) + ", got "
                        + t.parentDelayNs(k);
            }
            for (int j = 0; j < k; j++) {
                if (t.parent(j) == parent) {
                    return name + ": parent " + nodeName.apply(parent) + " listed twice";
                }
            }
        }
        return null;
    }

    /**
     * A cycle among the parent edges as turn indices in dependency order, first index repeated at
     * the end (e.g. [0, 2, 1, 0] when 0 waits for 2 ... read as "0 needs 2 needs 1 needs 0"), or
     * null when there is none. Parents must be valid indices.
     */
    public static int[] findCycle(List<Turn> turns) {
        int n = turns.size();
        byte[] colour = new byte[n];
        int[] stackNode = new int[n];
        int[] stackEdge = new int[n];
        for (int start = 0; start < n; start++) {
            if (colour[start] != WHITE) {
                continue;
            }
            int depth = 0;
            stackNode[0] = start;
            stackEdge[0] = 0;
            colour[start] = GREY;
            while (depth >= 0) {
                Turn t = turns.get(stackNode[depth]);
                if (stackEdge[depth] == t.parentCount()) {
                    colour[stackNode[depth]] = BLACK;
                    depth--;
                    continue;
                }
                int next = t.parent(stackEdge[depth]++);
                if (colour[next] == GREY) {
                    return cyclePath(stackNode, depth, next);
                }
                if (colour[next] == WHITE) {
                    colour[next] = GREY;
                    stackNode[++depth] = next;
                    stackEdge[depth] = 0;
                }
            }
        }
        return null;
    }

    private static int[] cyclePath(int[] stackNode, int depth, int closing) {
        int from = depth;
        while (stackNode[from] != closing) {
            from--;
        }
        int[] path = new int[depth - from + 2];
        for (int i = from; i <= depth; i++) {
            path[i - from] = stackNode[i];
        }
        path[path.length - 1] = closing;
        return path;
    }

    /** Turn indices such that every turn comes after all its parents; requires a valid DAG. */
    public static int[] topologicalOrder(List<Turn> turns) {
        int n = turns.size();
        int[] pending = new int[n];
        int[] childCount = new int[n];
        for (Turn t : turns) {
            pending[t.index()] = t.parentCount();
            for (int k = 0; k < t.parentCount(); k++) {
                childCount[t.parent(k)]++;
            }
        }
        int[][] children = new int[n][];
        for (int i = 0; i < n; i++) {
            children[i] = new int[childCount[i]];
            childCount[i] = 0;
        }
        for (Turn t : turns) {
            for (int k = 0; k < t.parentCount(); k++) {
                int p = t.parent(k);
                children[p][childCount[p]++] = t.index();
            }
        }
        // Min-heap of ready indices, so ties resolve to the lowest index and a chain stays in order.
        int[] heap = new int[n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                size = push(heap, size, i);
            }
        }
        int[] order = new int[n];
        int out = 0;
        while (size > 0) {
            int next = heap[0];
            size = pop(heap, size);
            order[out++] = next;
            for (int child : children[next]) {
                if (--pending[child] == 0) {
                    size = push(heap, size, child);
                }
            }
        }
        if (out != n) {
            throw new IllegalArgumentException("turns contain a cycle");
        }
        return order;
    }

    private static int push(int[] heap, int size, int value) {
        int i = size;
        heap[i] = value;
        while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
            int parent = (i - 1) / 2;
            int tmp = heap[parent];
            heap[parent] = heap[i];
            heap[i] = tmp;
            i = parent;
        }
        return size + 1;
    }

    private static int pop(int[] heap, int size) {
        int last = --size;
        heap[0] = heap[last];
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int smallest = i;
            if (l < size && heap[l] < heap[smallest]) {
                smallest = l;
            }
            if (r < size && heap[r] < heap[smallest]) {
                smallest = r;
            }
            if (smallest == i) {
                return size;
            }
            int tmp = heap[smallest];
            heap[smallest] = heap[i];
            heap[i] = tmp;
            i = smallest;
        }
    }
}
