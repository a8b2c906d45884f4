package io.agentservesim.tool;

import io.agentservesim.program.Program;
import io.agentservesim.program.TokenIds;
import io.agentservesim.program.Turn;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.JumpableUniformRandomProvider;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.DiscreteSampler;
import org.apache.commons.rng.simple.RandomSource;

/**
 * The tool side of agent programs: how long each tool call keeps a program waiting, how many tokens
 * it returns, and whether it fails. Engine-independent: {@link #apply(Program)} rewrites a program's
 * edge delays and inserts retry turns, so the orchestrator only ever sees a finished DAG.
 *
 * <p>Gap of a turn's tool call (the delay on its outgoing edges): the trace's delay, or (gaps: drawn)
 * one draw from the tool's {@link GapDistribution} shared by all its outgoing edges; then, if a tail
 * is configured, multiplied by {@code tail.factor} when above the tool distribution's
 * {@code tail.percentile}; then multiplied by {@code gap_scale}. A turn without children calls no
 * tool (LLMServingSim ignores the last sub-request's {@code tool_duration_ns} the same way).
 *
 * <p>Failures (InferCept, Abhyankar et al. ICML 2024, motivates modelling interrupted calls): a call
 * fails with the tool's {@code failure_probability}, or times out when its gap exceeds
 * {@code timeout_s} (the wait is then cut at the timeout). A failed call is followed by a retry turn:
 * the same context plus the failed call's output plus {@code error_tokens} error tokens, generating
 * the same number of tokens (the call re-issued), then calling the tool again; at most
 * {@code max_retries} retries, after which the program goes on with the last error. Every later turn
 * that extended the failed turn's context (its descendants whose prompt reaches past the failed
 * turn's output) grows by the retries' tokens, inserted at that point, so prefix sharing is kept.
 * In trace mode a failed attempt lasts the trace's delay to the turn's lowest-index child.
 *
 * <p>Deterministic: one seed, and one non-overlapping jump of a XoRoShiRo128++ stream per purpose
 * (gaps, tool output tokens, failure coin flips, error-token ids), so e.g. turning failures on does
 * not change the gap draws of turns that do not fail. Draws follow program order.
 */
public final class ToolSimulator {
    private static final double NANOS_PER_SECOND = 1e9;
    private static final String DEFAULT_KEY = "\u0000default";

    private final ToolSimulatorSpec spec;
    private final UniformRandomProvider gapRng;
    private final UniformRandomProvider outputRng;
    private final UniformRandomProvider failureRng;
    private final UniformRandomProvider idRng;
    private final Map<String, ToolState> states = new HashMap<>();

    public ToolSimulator(ToolSimulatorSpec spec) {
        this.spec = spec.validate(null, "");
        JumpableUniformRandomProvider base =
                (JumpableUniformRandomProvider) RandomSource.XO_RO_SHI_RO_128_PP.create(spec.seed());
        this.gapRng = base.jump();
        this.outputRng = base.jump();
        this.failureRng = base.jump();
        this.idRng = base.jump();
    }

    public ToolSimulatorSpec spec() {
        return spec;
    }

    /** A trace gap after tail amplification and scaling (no randomness). */
    public long traceGapNs(String tool, long traceGapNs) {
        return shape(state(tool), traceGapNs);
    }

    /** A fresh draw of {@code tool}'s gap, amplified and scaled; the tool must have a gap distribution. */
    public long drawGapNs(String tool) {
        ToolState st = state(tool);
        if (st == null || st.gap == null) {
            throw new IllegalStateException("tool " + tool + " has no gap distribution");
        }
        return shape(st, Math.round(st.gap.sample() * NANOS_PER_SECOND));
    }

    /** The gap per this simulator's {@link GapSource}: drawn when configured and possible, else the trace's. */
    public long gapNs(String tool, long traceGapNs) {
        ToolState st = state(tool);
        return spec.gaps() == GapSource.DRAWN && st != null && st.gap != null ? drawGapNs(tool) : shape(st, traceGapNs);
    }

    /** Tokens {@code tool} returns into the next turn's context; 0 when its profile has no distribution. */
    public int toolOutputTokens(String tool) {
        ToolState st = state(tool);
        return st == null || st.output == null ? 0 : st.output.sample();
    }

    /** The gap (ns) above which the tail factor applies to {@code tool}, or -1 when none applies. */
    public long tailThresholdNs(String tool) {
        ToolState st = state(tool);
        return st == null ? -1 : st.tailThresholdNs;
    }

    private long shape(ToolState st, long rawNs) {
        double ns = rawNs;
        if (st != null && st.tailThresholdNs >= 0 && rawNs > st.tailThresholdNs) {
            ns *= spec.tail().factor();
        }
        return Math.round(ns * spec.gapScale());
    }

    private ToolState state(String tool) {
        ToolProfile own = tool == null ? null : spec.tools().get(tool);
        String key = own != null ? tool : DEFAULT_KEY;
        ToolProfile profile = own != null ? own : spec.defaultProfile();
        if (profile == null) {
            return null;
        }
        return states.computeIfAbsent(key, k -> new ToolState(profile, spec.tail(), gapRng, outputRng));
    }

    /** Samplers of one tool, built on first use (building consumes no randomness). */
    private static final class ToolState {
        final ToolProfile profile;
        final ContinuousSampler gap;
        final DiscreteSampler output;
        final long tailThresholdNs;

        ToolState(ToolProfile profile, TailAmplification tail, UniformRandomProvider gapRng,
                UniformRandomProvider outputRng) {
            this.profile = profile;
            this.gap = profile.gap() == null ? null : profile.gap().sampler(gapRng);
            this.output = profile.outputTokens() == null ? null : profile.outputTokens().sampler(outputRng);
            this.tailThresholdNs = tail == null || profile.gap() == null
                    ? -1 : Math.round(profile.gap().quantileSeconds(tail.percentile()) * NANOS_PER_SECOND);
        }
    }

    /** {@code program} with its gaps decided and retry turns inserted after failed tool calls. */
    public Program apply(Program program) {
        int n = program.turnCount();
        int[] lowestChild = new int[n];
        long[] lowestChildDelay = new long[n];
        Arrays.fill(lowestChild, Integer.MAX_VALUE);
        for (Turn t : program.turns()) {
            for (int k = 0; k < t.parentCount(); k++) {
                int q = t.parent(k);
                if (t.index() < lowestChild[q]) {
                    lowestChild[q] = t.index();
                    lowestChildDelay[q] = t.parentDelayNs(k);
                }
            }
        }
        long[] finalGap = new long[n];
        long[][] failedGaps = new long[n][];
        boolean anyRetry = false;
        for (int i = 0; i < n; i++) {
            finalGap[i] = -1;
            if (lowestChild[i] == Integer.MAX_VALUE) {
                continue;
            }
            Turn t = program.turn(i);
            ToolState st = state(t.toolName());
            boolean drawn = spec.gaps() == GapSource.DRAWN && st != null && st.gap != null;
            if (st == null || !st.profile.canFail()) {
                if (drawn) {
                    finalGap[i] = drawGapNs(t.toolName());
                }
                continue;
            }
            failedGaps[i] = attempts(t.toolName(), st, drawn, lowestChildDelay[i], finalGap, i);
            anyRetry |= failedGaps[i].length > 0;
        }
        return anyRetry ? withRetries(program, finalGap, failedGaps) : withGaps(program, finalGap);
    }

    /** Draws attempts until one succeeds or retries run out; returns the failed attempts' gaps. */
    private long[] attempts(String tool, ToolState st, boolean drawn, long traceDelayNs, long[] finalGap, int i) {
        ToolProfile profile = st.profile;
        long timeoutNs = Math.round(profile.timeoutSeconds() * NANOS_PER_SECOND);
        LongArrayList failed = new LongArrayList();
        while (true) {
            long gap = drawn ? drawGapNs(tool) : shape(st, traceDelayNs);
            boolean fails = profile.failureProbability() > 0 && failureRng.nextDouble() < profile.failureProbability();
            if (timeoutNs > 0 && gap > timeoutNs) {
                gap = timeoutNs;
                fails = true;
            }
            if (!fails) {
                finalGap[i] = drawn ? gap : -1;
                return failed.toLongArray();
            }
            if (failed.size() == spec.maxRetries()) {
                finalGap[i] = gap;
                return failed.toLongArray();
            }
            failed.add(gap);
        }
    }

    private Program withGaps(Program program, long[] finalGap) {
        List<Turn> out = new ArrayList<>(program.turnCount());
        for (Turn t : program.turns()) {
            out.add(new Turn(t.index(), t.inputTokens(), t.outputTokens(), t.promptTokenIds(), t.outputTokenIds(),
                    t.toolName(), t.parents(), delays(program, t, finalGap), t.retryOf()));
        }
        return new Program(program.id(), program.name(), program.arrivalNs(), out);
    }

    private long[] delays(Program program, Turn t, long[] finalGap) {
        long[] d = new long[t.parentCount()];
        for (int k = 0; k < d.length; k++) {
            int q = t.parent(k);
            d[k] = finalGap[q] >= 0 ? finalGap[q] : traceGapNs(program.turn(q).toolName(), t.parentDelayNs(k));
        }
        return d;
    }

    private Program withRetries(Program program, long[] finalGap, long[][] failedGaps) {
        int n = program.turnCount();
        int[] first = new int[n];
        int[] last = new int[n];
        int next = 0;
        for (int i = 0; i < n; i++) {
            int retries = failedGaps[i] == null ? 0 : failedGaps[i].length;
            first[i] = next;
            last[i] = next + retries;
            next += 1 + retries;
        }
        Insertions ins = new Insertions(program, failedGaps, this);
        Turn[] out = new Turn[next];
        for (int i = 0; i < n; i++) {
            Turn t = program.turn(i);
            int[] parents = new int[t.parentCount()];
            for (int k = 0; k < parents.length; k++) {
                parents[k] = last[t.parent(k)];
            }
            out[first[i]] = new Turn(first[i], ins.inputTokens(i), t.outputTokens(), ins.promptIds(i),
                    t.outputTokenIds(), t.toolName(), parents, delays(program, t, finalGap), -1);
            for (int r = 1; r <= last[i] - first[i]; r++) {
                int at = first[i] + r;
                out[at] = new Turn(at, ins.retryInputTokens(i, r), t.outputTokens(), ins.retryPromptIds(i, r),
                        t.outputTokenIds(), t.toolName(), new int[] {at - 1}, new long[] {failedGaps[i][r - 1]},
                        first[i]);
            }
        }
        return new Program(program.id(), program.name(), program.arrivalNs(), Arrays.asList(out));
    }

    int errorTokens(Turn t) {
        return state(t.toolName()).profile.errorTokens();
    }

    int randomId() {
        return idRng.nextInt(spec.vocabSize());
    }

    /**
     * The tokens retries add: turn i's block (per retry: error tokens, then the re-issued output) goes
     * after turn i's prompt + output, in the retry turns and in every descendant whose prompt reaches
     * that far. Positions are in the original prompts' coordinates; several blocks are inserted from
     * the furthest position back so earlier positions stay valid.
     */
    private static final class Insertions {
        private final Program program;
        private final int[] perRetry;
        private final int[] blockTokens;
        private final int[][] blockIds;
        private final int[][] outputIds;
        private final int[] extraTokens;
        private final TokenIds[] promptIds;
        private final TokenIds[] extended;

        Insertions(Program program, long[][] failedGaps, ToolSimulator sim) {
            this.program = program;
            int n = program.turnCount();
            perRetry = new int[n];
            blockTokens = new int[n];
            blockIds = new int[n][];
            outputIds = new int[n][];
            for (int i = 0; i < n; i++) {
                if (failedGaps[i] == null || failedGaps[i].length == 0) {
                    continue;
                }
                Turn t = program.turn(i);
                int errors = sim.errorTokens(t);
                perRetry[i] = errors + t.outputTokens();
                blockTokens[i] = perRetry[i] * failedGaps[i].length;
                if (t.promptTokenIds() != null) {
                    int[] out = t.outputTokenIds() != null ? t.outputTokenIds().toArray() : randomIds(sim, t.outputTokens());
                    int[] block = new int[blockTokens[i]];
                    for (int r = 0; r < failedGaps[i].length; r++) {
                        int base = r * perRetry[i];
                        for (int e = 0; e < errors; e++) {
                            block[base + e] = sim.randomId();
                        }
                        System.arraycopy(out, 0, block, base + errors, t.outputTokens());
                    }
                    outputIds[i] = out;
                    blockIds[i] = block;
                }
            }
            extraTokens = new int[n];
            promptIds = new TokenIds[n];
            applyToDescendants();
            extended = new TokenIds[n];
            for (int i = 0; i < n; i++) {
                if (blockIds[i] != null && promptIds[i] != null) {
                    int in = inputTokens(i);
                    int out = outputIds[i].length;
                    int[] ext = new int[in + out + blockIds[i].length];
                    promptIds[i].copyTo(ext, 0);
                    System.arraycopy(outputIds[i], 0, ext, in, out);
                    System.arraycopy(blockIds[i], 0, ext, in + out, blockIds[i].length);
                    extended[i] = TokenIds.of(ext);
                }
            }
        }

        private static int[] randomIds(ToolSimulator sim, int count) {
            int[] ids = new int[count];
            for (int k = 0; k < count; k++) {
                ids[k] = sim.randomId();
            }
            return ids;
        }

        private void applyToDescendants() {
            int n = program.turnCount();
            IntOpenHashSet[] failedAncestors = new IntOpenHashSet[n];
            for (int d : program.topologicalOrder()) {
                Turn t = program.turn(d);
                IntOpenHashSet set = new IntOpenHashSet();
                for (int k = 0; k < t.parentCount(); k++) {
                    int q = t.parent(k);
                    set.addAll(failedAncestors[q]);
                    if (blockTokens[q] > 0) {
                        set.add(q);
                    }
                }
                failedAncestors[d] = set;
                int[] applicable = set.intStream()
                        .filter(a -> insertAt(a) <= t.inputTokens())
                        .boxed().sorted((a, b) -> a.equals(b) ? 0
                                : insertAt(a) != insertAt(b) ? Integer.compare(insertAt(b), insertAt(a))
                                : Integer.compare(b, a))
                        .mapToInt(Integer::intValue).toArray();
                for (int a : applicable) {
                    extraTokens[d] += blockTokens[a];
                }
                promptIds[d] = t.promptTokenIds();
                if (applicable.length > 0 && t.promptTokenIds() != null) {
                    int[] ids = t.promptTokenIds().toArray();
                    for (int a : applicable) {
                        if (blockIds[a] == null) {
                            ids = null;
                            break;
                        }
                        int at = insertAt(a);
                        int[] grown = new int[ids.length + blockIds[a].length];
                        System.arraycopy(ids, 0, grown, 0, at);
                        System.arraycopy(blockIds[a], 0, grown, at, blockIds[a].length);
                        System.arraycopy(ids, at, grown, at + blockIds[a].length, ids.length - at);
                        ids = grown;
                    }
                    promptIds[d] = ids == null ? null : TokenIds.of(ids);
                }
            }
            reshareChains(program, promptIds);
        }

        /** Points each single-parent turn's parent at a prefix of the child's ids, so a chain shares one array. */
        private static void reshareChains(Program program, TokenIds[] ids) {
            int[] order = program.topologicalOrder();
            for (int o = order.length - 1; o >= 0; o--) {
                Turn t = program.turn(order[o]);
                if (t.parentCount() == 1 && ids[t.index()] != null) {
                    int q = t.parent(0);
                    if (ids[q] != null && ids[t.index()].startsWith(ids[q])) {
                        ids[q] = ids[t.index()].prefix(ids[q].length());
                    }
                }
            }
        }

        private int insertAt(int failed) {
            Turn t = program.turn(failed);
            return t.inputTokens() + t.outputTokens();
        }

        int inputTokens(int i) {
            return program.turn(i).inputTokens() + extraTokens[i];
        }

        TokenIds promptIds(int i) {
            return promptIds[i];
        }

        /** Retry r (1-based) of turn i: its context, the call's output, r - 1 earlier retries, the error. */
        int retryInputTokens(int i, int r) {
            int out = program.turn(i).outputTokens();
            return inputTokens(i) + out + (r - 1) * perRetry[i] + (perRetry[i] - out);
        }

        TokenIds retryPromptIds(int i, int r) {
            return extended[i] == null ? null : extended[i].prefix(retryInputTokens(i, r));
        }
    }
}
