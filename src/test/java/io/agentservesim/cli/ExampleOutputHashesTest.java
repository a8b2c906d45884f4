package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The byte-identity guard: every shipped example ({@code examples/**&#47;*.yaml}) is run and the SHA-256
 * of each file it writes is compared with the hash stored in {@value #HASH_FILE}. A speed change must
 * leave every output byte-identical; a change that is meant to alter results (a fidelity fix, a new
 * column) updates the stored hashes and says why in its commit message.
 *
 * <p>Left out of the hash, because they are not results of the simulation: lines of a JSON file whose key
 * contains "wall" (wall-clock time, e.g. a manifest's run time), and the resolved config a manifest echoes (the
 * run's input, overlaid on the reference, so that a new setting with a default would otherwise move every
 * example's hash; RunManifestTest and OutputSafetyTest check what it holds). Absolute paths of the checkout and of the
 * output folder are replaced by placeholders first, so the hashes do not depend on where the repository
 * lies.
 *
 * <p>To update after an intended output change (and only then):
 * <pre>
 * mvn -q -B -ntp test -Dtest=ExampleOutputHashesTest -Dasim.updateHashes=true
 * git diff src/test/resources/io/agentservesim/cli/example-output-hashes.txt   # which outputs moved
 * git commit -m "...; example output hashes updated: REASON"
 * </pre>
 * The update run rewrites the file from what every example writes now, and passes.
 */
class ExampleOutputHashesTest {
    static final String HASH_FILE = "src/test/resources/io/agentservesim/cli/example-output-hashes.txt";
    private static final boolean UPDATE = Boolean.getBoolean("asim.updateHashes");
    /** A JSON line holding a wall-clock field: {@code "wall_s" : 1.25,} and the like. */
    private static final Pattern WALL_LINE = Pattern.compile("^\\s*\"[^\"]*wall[^\"]*\"\\s*:.*$",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    static Path tmp;

    private static Map<String, String> stored;
    private static final Map<String, String> measured = new TreeMap<>();

    static Stream<String> examples() throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of("examples"))) {
            return walk.filter(p -> p.toString().endsWith(".yaml")).map(p -> p.toString().replace('\\', '/'))
                    .sorted().toList().stream();
        }
    }

    @BeforeAll
    static void readStored() throws IOException {
        stored = new TreeMap<>();
        Path file = Path.of(HASH_FILE);
        if (!Files.exists(file)) {
            return;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            stored.put(f[0] + " " + f[1], f[2]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyOutputOfTheExampleIsByteIdenticalToTheStoredHash(String example) throws IOException {
        Path out = tmp.resolve(example.replace('/', '_'));
        CliRunner.Result r = CliRunner.run("run", example, "--out", out.toString());
        assertThat(r.exitCode()).as(example + ": " + r.err()).isZero();
        Map<String, String> now = new TreeMap<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.sorted().toList()) {
                now.put(example + " " + f.getFileName(), sha256(normalized(f, out)));
            }
        }
        measured.putAll(now);
        if (UPDATE) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String want = stored.get(e.getKey());
            if (want == null) {
                problems.add(e.getKey() + ": no stored hash (now " + e.getValue() + ")");
            } else if (!want.equals(e.getValue())) {
                problems.add(e.getKey() + ": stored " + want + ", now " + e.getValue());
            }
        }
        for (String key : stored.keySet()) {
            if (key.startsWith(example + " ") && !now.containsKey(key)) {
                problems.add(key + ": stored but no longer written");
            }
        }
        assertThat(problems).as("outputs of " + example + " changed; if intended, update the hashes with a stated"
                + " reason (see ExampleOutputHashesTest's class comment)").isEmpty();
    }

    @AfterAll
    static void writeWhenUpdating() throws IOException {
        if (!UPDATE) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("# SHA-256 of every file each example writes (bin/asim run EXAMPLE --out DIR), checked by\n")
                .append("# ExampleOutputHashesTest. Update only for an intended output change, with the reason\n")
                .append("# in the commit message (see the test's class comment). Format: example file sha256\n");
        for (Map.Entry<String, String> e : measured.entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        Path file = Path.of(HASH_FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, b.toString());
    }

    /** The file's bytes with wall-clock JSON lines dropped and absolute paths replaced by placeholders. */
    static byte[] normalized(Path file, Path outDir) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        String name = file.getFileName().toString();
        boolean json = name.endsWith(".json");
        String text = new String(raw, StandardCharsets.UTF_8);
        String root = Path.of("").toAbsolutePath().toString();
        boolean paths = text.contains(root) || text.contains(outDir.toAbsolutePath().toString());
        if (!json && !paths) {
            return raw;
        }
        text = text.replace(outDir.toAbsolutePath().toString(), "<out>").replace(root, "<repo>");
        if (name.equals("manifest.json")) {
            text = withoutConfig(text);
        }
        if (json) {
            List<String> kept = new ArrayList<>();
            for (String line : text.split("\n", -1)) {
                if (!WALL_LINE.matcher(line).matches()) {
                    kept.add(line);
                }
            }
            text = String.join("\n", kept);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A manifest with its "config" member (the resolved input) left out. */
    private static String withoutConfig(String manifest) {
        tools.jackson.databind.json.JsonMapper mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.databind.node.ObjectNode node = (tools.jackson.databind.node.ObjectNode) mapper.readTree(manifest);
        node.remove("config");
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
