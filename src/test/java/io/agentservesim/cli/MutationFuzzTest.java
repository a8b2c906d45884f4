package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded mutation fuzz over the shipped inputs: every example config, a flat trace, an agentic trace, a world
 * trace and a model config, each mutated as a user's typo or a broken file would (a key deleted, duplicated or
 * misspelt; a value swapped for an extreme number, a string, a list or a mapping; a line garbled; the file cut
 * short). Every mutant must either run (exit 0) or be refused with exit 2, one stderr line and no output folder:
 * never a stack trace, never exit 1, and the line names no Jackson or Java internals. A mutant that is valid but would run for long (a million requests) is
 * stopped by interrupting its thread after {@link #RUN_LIMIT_S} seconds and counted as running.
 *
 * <p>The outcome counts go to {@code target/fuzz-report.txt} (and README's reliability line).
 */
class MutationFuzzTest {
    private static final long SEED = 20261207L;
    private static final int MUTANTS_PER_EXAMPLE = 5;
    private static final int MUTANTS_PER_DATA_FILE = 30;
    private static final int RUN_LIMIT_S = 5;
    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(.*)$");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?(?![\\w.])");
    private static final Pattern RELATIVE_PATH = Pattern.compile("(:\\s*)(\\.{1,2}/[^\\s,}#]+|[\\w.-]+\\.(?:json|jsonl|jsonl\\.gz|yaml))");
    /** Words of Jackson's or Java's, not the user's: an error line must not carry them. */
    private static final Pattern INTERNALS = Pattern.compile(
            "(Object|Array|Json|Text|Int|Double)Node|\\[Source:|REDACTED|tools\\.jackson|java\\.(lang|util|nio)|\\$[A-Z]");
    private static final String[] EXTREMES = {"-1", "0", "2147483648", "1e308", "-1e308", ".inf", "-.inf", ".nan",
            "4.5", "\"8\"", "abc", "true", "[]", "{}", "null", "999999999999", "-0.0", "1e-300"};
    private static final String[] JSON_EXTREMES = {"-1", "0", "2147483648", "1e308", "\"abc\"", "true", "[]", "{}",
            "null", "4.5", "999999999999999999999", "-9223372036854775808"};

    @TempDir
    static Path tmp;

    private static final Map<String, Integer> outcomes = new TreeMap<>();
    private static final List<String> report = new ArrayList<>();
    private static final List<String> failures = new ArrayList<>();
    private static int mutantsRun;

    /** One mutant: the file to run, the asim arguments, and what was done. */
    private record Mutant(String what, String[] args, Path out) {
    }

    @Test
    void everyMutantRunsOrIsRefusedWithOneLine() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<Mutant> mutants = new ArrayList<>();
        for (Path example : examples()) {
            String text = absolutePaths(Files.readString(example), example.toAbsolutePath().getParent());
            for (int i = 0; i < MUTANTS_PER_EXAMPLE; i++) {
                Path file = tmp.resolve("m" + mutants.size() + ".yaml");
                String what = example + ": " + mutateYaml(text, rnd, file);
                Path out = tmp.resolve("out" + mutants.size());
                mutants.add(new Mutant(what, new String[] {"run", file.toString(), "--out", out.toString()}, out));
            }
        }
        String flatExample = "examples/rtx4090-llama8b-sharegpt.yaml";
        String flat = firstLines(Path.of("data/llmservingsim/workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz"), 20);
        addJsonMutants(mutants, rnd, "flat trace", flat, ".jsonl",
                f -> new String[] {"run", flatExample, "--workload", f.toString()});
        String agentic = """
                {"session_id": "a", "arrival_time_ns": 0, "sub_requests": [{"input_toks": 500, "output_toks": 40, "tool_duration_ns": 300000000, "tool_name": "bash"}, {"input_toks": 700, "output_toks": 30, "tool_duration_ns": 0}]}
                {"session_id": "b", "arrival_time_ns": 100000000, "sub_requests": [{"input_toks": 900, "output_toks": 20, "tool_duration_ns": 50000000}, {"input_toks": 1000, "output_toks": 60}, {"input_toks": 1200, "output_toks": 10}]}
                {"input_toks": 300, "output_toks": 25, "arrival_time_ns": 200000000}
                """;
        addJsonMutants(mutants, rnd, "agentic trace", agentic, ".jsonl",
                f -> new String[] {"run", "examples/agents/route-affinity.yaml", "--set", "programs.synthetic=null",
                        "--set", "programs.trace=" + f, "--set", "programs.format=agentic"});
        addJsonMutants(mutants, rnd, "world trace", Files.readString(Path.of("examples/world/trace.jsonl")), ".jsonl",
                f -> new String[] {"run", "examples/world/trace.yaml", "--set", "world.trace=" + f});
        addJsonMutants(mutants, rnd, "model config",
                Files.readString(Path.of("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json")), ".json",
                f -> new String[] {"run", flatExample, "--set", "model=" + f});

        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-mutant");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Mutant m : mutants) {
                runOne(pool, m);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("mutants that neither ran nor were refused with one line (see target/fuzz-report.txt)")
                .isEmpty();
        assertThat(outcomes.getOrDefault("refused (exit 2, one line)", 0)).isGreaterThan(mutants.size() / 4);
        assertThat(outcomes.getOrDefault("ran (exit 0)", 0)).isPositive();
    }

    private interface ArgsFor {
        String[] args(Path file);
    }

    private void addJsonMutants(List<Mutant> mutants, SplittableRandom rnd, String kind, String base, String ext,
                                ArgsFor argsFor) throws IOException {
        for (int i = 0; i < MUTANTS_PER_DATA_FILE; i++) {
            Path file = tmp.resolve("m" + mutants.size() + ext);
            String what = kind + ": " + mutateJson(base, rnd, file);
            Path out = tmp.resolve("out" + mutants.size());
            String[] a = argsFor.args(file);
            String[] args = java.util.Arrays.copyOf(a, a.length + 2);
            args[a.length] = "--out";
            args[a.length + 1] = out.toString();
            mutants.add(new Mutant(what, args, out));
        }
    }

    private static void runOne(ExecutorService pool, Mutant m) throws InterruptedException {
        mutantsRun++;
        Future<CliRunner.Result> f = pool.submit(() -> CliRunner.run(m.args()));
        String outcome;
        String detail = "";
        try {
            CliRunner.Result r = f.get(RUN_LIMIT_S, TimeUnit.SECONDS);
            List<String> errLines = r.err().strip().lines().filter(l -> !l.isBlank()).toList();
            if (r.exitCode() == 0) {
                outcome = "ran (exit 0)";
            } else if (r.exitCode() == Main.EXIT_BAD_INPUT && errLines.size() == 1 && errLines.get(0).startsWith("error: ")
                    && !Files.exists(m.out()) && !INTERNALS.matcher(errLines.get(0)).find()) {
                outcome = "refused (exit 2, one line)";
                detail = errLines.get(0);
            } else {
                outcome = "FAILED";
                detail = "exit " + r.exitCode() + (Files.exists(m.out()) ? ", output written" : "") + ": "
                        + String.join(" | ", errLines.subList(0, Math.min(4, errLines.size())));
            }
        } catch (TimeoutException e) {
            f.cancel(true); // interrupts the simulation thread; the kernel stops at its next check
            try {
                f.get();
            } catch (Exception stopped) {
                // the interrupted run's own exception: expected
            }
            outcome = "ran (stopped after " + RUN_LIMIT_S + " s)";
        } catch (ExecutionException e) {
            outcome = "FAILED";
            detail = "threw " + e.getCause();
        }
        outcomes.merge(outcome, 1, Integer::sum);
        String line = outcome + "  " + m.what() + (detail.isEmpty() ? "" : "  ->  " + detail);
        report.add(line);
        if (outcome.equals("FAILED")) {
            failures.add(line);
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        StringBuilder b = new StringBuilder("mutation fuzz, seed " + SEED + ": " + mutantsRun + " mutants\n");
        outcomes.forEach((k, v) -> b.append("  ").append(k).append(": ").append(v).append('\n'));
        b.append('\n');
        report.forEach(l -> b.append(l).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/fuzz-report.txt"), b.toString());
        System.out.print(b.substring(0, b.indexOf("\n\n") + 1));
    }

    private static List<Path> examples() throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of("examples"))) {
            return walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    /** The config with its relative file paths made absolute, so a mutant written elsewhere finds them. */
    private static String absolutePaths(String yaml, Path folder) {
        Matcher m = RELATIVE_PATH.matcher(yaml);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            Path p = folder.resolve(m.group(2)).normalize();
            m.appendReplacement(b, Matcher.quoteReplacement(m.group(1) + (Files.exists(p) ? p.toString() : m.group(2))));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static String firstLines(Path gz, int n) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            String all = new String(in.readNBytes(4 << 20), StandardCharsets.UTF_8);
            return String.join("\n", all.lines().limit(n).toList()) + "\n";
        }
    }

    /** Writes one mutation of {@code yaml} to {@code file}; returns what it did. */
    private static String mutateYaml(String yaml, SplittableRandom rnd, Path file) throws IOException {
        List<String> lines = new ArrayList<>(yaml.lines().toList());
        List<Integer> keyLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).stripLeading().startsWith("#") && KEY_LINE.matcher(lines.get(i)).matches()) {
                keyLines.add(i);
            }
        }
        int kind = rnd.nextInt(7);
        String what;
        if (kind == 6 || keyLines.isEmpty()) {
            int cut = rnd.nextInt(Math.max(1, yaml.length()));
            Files.writeString(file, yaml.substring(0, cut));
            return "truncated at byte " + cut;
        }
        int at = keyLines.get(rnd.nextInt(keyLines.size()));
        Matcher m = KEY_LINE.matcher(lines.get(at));
        m.matches();
        int end = blockEnd(lines, at);
        switch (kind) {
            case 0 -> {
                what = "deleted " + m.group(2);
                lines.subList(at, end).clear();
            }
            case 1 -> {
                what = "duplicated " + m.group(2);
                lines.addAll(end, new ArrayList<>(lines.subList(at, end)));
            }
            case 2 -> {
                what = "misspelt " + m.group(2);
                lines.set(at, m.group(1) + m.group(2) + "s:" + m.group(3));
            }
            case 3, 4 -> {
                String value = m.group(3).replaceAll("\\s+#.*$", "").strip();
                String extreme = EXTREMES[rnd.nextInt(EXTREMES.length)];
                Matcher num = NUMBER.matcher(value);
                List<int[]> spans = new ArrayList<>();
                while (num.find()) {
                    spans.add(new int[] {num.start(), num.end()});
                }
                if (kind == 3 && !spans.isEmpty()) {
                    int[] s = spans.get(rnd.nextInt(spans.size()));
                    String nv = value.substring(0, s[0]) + extreme + value.substring(s[1]);
                    what = m.group(2) + ": number " + value.substring(s[0], s[1]) + " -> " + extreme;
                    lines.set(at, m.group(1) + m.group(2) + ": " + nv);
                } else {
                    what = m.group(2) + ": value -> " + extreme;
                    lines.subList(at + 1, end).clear();
                    lines.set(at, m.group(1) + m.group(2) + ": " + extreme);
                }
            }
            default -> {
                String[] garbage = {"  : :", "\t- [", "{{", "key without colon", "- - -", "&a *a"};
                String g = garbage[rnd.nextInt(garbage.length)];
                what = "garbage line '" + g + "' after " + m.group(2);
                lines.add(at + 1, g);
            }
        }
        Files.writeString(file, String.join("\n", lines) + "\n");
        return what;
    }

    /** The line after the block that starts at {@code at} (its deeper-indented children included). */
    private static int blockEnd(List<String> lines, int at) {
        int indent = indent(lines.get(at));
        int i = at + 1;
        while (i < lines.size() && (lines.get(i).isBlank() || indent(lines.get(i)) > indent
                || (lines.get(i).stripLeading().startsWith("- ") && indent(lines.get(i)) == indent
                && !lines.get(at).stripLeading().startsWith("- ")))) {
            i++;
        }
        return i;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** Writes one mutation of JSON / JSON Lines text to {@code file}; returns what it did. */
    private static String mutateJson(String text, SplittableRandom rnd, Path file) throws IOException {
        Pattern field = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*(\"[^\"]*\"|-?[\\d.eE+-]+|true|false|null|\\[[^\\[\\]]*\\]|\\{[^{}]*\\})");
        Matcher m = field.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end(), m.start(2), m.end(2)});
        }
        int kind = rnd.nextInt(6);
        String out;
        String what;
        if (kind == 5 || spans.isEmpty()) {
            int cut = rnd.nextInt(Math.max(1, text.length()));
            out = text.substring(0, cut);
            what = "truncated at byte " + cut;
        } else {
            int[] s = spans.get(rnd.nextInt(spans.size()));
            String name = text.substring(s[0], s[1]).replaceAll("^\"([a-z_]+)\".*$", "$1");
            switch (kind) {
                case 0 -> { // delete the field (and a comma next to it)
                    int from = s[0];
                    int to = s[1];
                    if (to < text.length() && text.charAt(to) == ',') {
                        to++;
                    } else if (from > 1 && text.substring(0, from).stripTrailing().endsWith(",")) {
                        from = text.substring(0, from).stripTrailing().length() - 1;
                    }
                    out = text.substring(0, from) + text.substring(to);
                    what = "deleted " + name;
                }
                case 1 -> {
                    out = text.substring(0, s[1]) + ", " + text.substring(s[0], s[1]) + text.substring(s[1]);
                    what = "duplicated " + name;
                }
                case 2 -> {
                    out = text.substring(0, s[0] + 1 + name.length()) + "s" + text.substring(s[0] + 1 + name.length());
                    what = "misspelt " + name;
                }
                case 3 -> {
                    String extreme = JSON_EXTREMES[rnd.nextInt(JSON_EXTREMES.length)];
                    out = text.substring(0, s[2]) + extreme + text.substring(s[3]);
                    what = name + " -> " + extreme;
                }
                default -> {
                    String[] garbage = {"{", "not json", "[]", "{\"x\": 1}", "\u0000", "}{"};
                    String g = garbage[rnd.nextInt(garbage.length)];
                    int nl = text.indexOf('\n', s[0]);
                    int cut = nl < 0 ? text.length() : nl + 1;
                    out = text.substring(0, cut) + g + "\n" + text.substring(cut);
                    what = "garbage line '" + g.replace("\u0000", "\\0") + "' after the line of " + name;
                }
            }
        }
        Files.writeString(file, out);
        return what;
    }
}
