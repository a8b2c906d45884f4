package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * asim never destroys a user's files: every misuse of {@code --out} is refused with one line and exit 2
 * before anything is written, a planted user folder and file survive, an earlier output survives a failed
 * run, and an interrupted run leaves no staging folder.
 */
class OutputSafetyTest {
    private static final String EXAMPLE = "examples/rtx4090-llama8b-sharegpt.yaml";

    @TempDir
    Path tmp;

    /** A user's folder with a file in it, and a lone user file: what every misuse must leave intact. */
    private Path plantUserFiles() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(folder.resolve("chapter1.tex"), "years of work");
        Files.writeString(tmp.resolve("notes.txt"), "do not delete");
        return folder;
    }

    private static void assertRefused(CliRunner.Result r, String mentions) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
        assertThat(r.err()).contains(mentions);
    }

    private void assertUserFilesIntact(Path folder) throws IOException {
        assertThat(Files.readString(folder.resolve("chapter1.tex"))).isEqualTo("years of work");
        assertThat(Files.readString(tmp.resolve("notes.txt"))).isEqualTo("do not delete");
        assertThat(stagingLeftIn(tmp)).isEmpty();
    }

    @Test
    void aNonEmptyFolderAsimDidNotWriteIsRefusedAndSurvives() throws IOException {
        Path folder = plantUserFiles();
        assertRefused(CliRunner.run("run", EXAMPLE, "--out", folder.toString()), "asim did not write");
        assertUserFilesIntact(folder);
    }

    @Test
    void anExistingFileIsRefusedAndSurvives() throws IOException {
        Path folder = plantUserFiles();
        assertRefused(CliRunner.run("run", EXAMPLE, "--out", tmp.resolve("notes.txt").toString()), "existing file");
        assertUserFilesIntact(folder);
    }

    @Test
    void anEmptyOutIsRefused() {
        assertRefused(CliRunner.run("run", EXAMPLE, "--out="), "--out");
    }

    @Test
    void theCurrentFolderAndItsAncestorsAreRefused() {
        assertRefused(CliRunner.run("run", EXAMPLE, "--out", "."), "current folder");
        Path cwd = Path.of("").toAbsolutePath();
        assertRefused(CliRunner.run("run", EXAMPLE, "--out", cwd.getParent().toString()), "current folder");
        assertThat(Files.exists(Path.of("pom.xml"))).isTrue();
    }

    @Test
    void theFolderHoldingTheConfigIsRefused() throws IOException {
        Path configDir = Files.createDirectories(tmp.resolve("configs"));
        Path config = configDir.resolve("my.yaml");
        Files.writeString(config, Files.readString(Path.of(EXAMPLE)).replace("../data/", Path.of("data")
                .toAbsolutePath() + "/"));
        assertRefused(CliRunner.run("run", config.toString(), "--out", configDir.toString()), "holds the input");
        assertThat(Files.exists(config)).isTrue();
    }

    @Test
    void anEarlierAsimOutputIsReplacedAndItsManifestNamesTheRun() throws IOException {
        Path out = tmp.resolve("run1");
        assertThat(CliRunner.run("run", EXAMPLE, "--out", out.toString()).exitCode()).isZero();
        String manifest = Files.readString(out.resolve(RunManifest.FILE));
        assertThat(manifest).contains("\"generator\" : \"AgentServeSim\"", "\"version\" : \"" + Main.VERSION + "\"",
                "\"seed\" : ", "\"max_num_seqs\"", "\"wall_s\"");
        Files.writeString(out.resolve("summary.json"), "stale");
        CliRunner.Result again = CliRunner.run("run", EXAMPLE, "--out", out.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(out.resolve("summary.json"))).isNotEqualTo("stale");
        assertThat(stagingLeftIn(tmp)).isEmpty();
    }

    @Test
    void anEarlierOutputSurvivesARunThatFailsHalfWay() throws IOException {
        Path out = tmp.resolve("run");
        assertThat(CliRunner.run("run", EXAMPLE, "--out", out.toString()).exitCode()).isZero();
        String before = Files.readString(out.resolve("summary.json"));
        // A trace whose third line is malformed: the run starts writing, then fails on that line.
        Path trace = tmp.resolve("bad.jsonl");
        Files.writeString(trace, """
                {"input_toks": 100, "output_toks": 10, "arrival_time_ns": 0}
                {"input_toks": 100, "output_toks": 10, "arrival_time_ns": 1000}
                {"input_toks": "many", "output_toks": 10, "arrival_time_ns": 2000}
                """);
        CliRunner.Result r = CliRunner.run("run", EXAMPLE, "--workload", trace.toString(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo(before);
        assertThat(stagingLeftIn(tmp)).isEmpty();
    }

    @Test
    void whenTheNewOutputCannotBeMovedInTheEarlierOneIsPutBack() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        RunManifest.write(target, "run", new String[0], null, 1, 0);
        Files.writeString(target.resolve("summary.json"), "earlier results");
        int[] moves = {0};
        OutputFolder.Mover failsOnSecondMove = (from, to) -> {
            if (++moves[0] == 2) {
                throw new IOException("disk full");
            }
            Files.move(from, to);
        };
        try (OutputFolder folder = new OutputFolder(target, failsOnSecondMove)) {
            Files.writeString(folder.dir().resolve("summary.json"), "new results");
            assertThatThrownBy(folder::commit).hasMessageContaining("earlier output");
        }
        assertThat(Files.readString(target.resolve("summary.json"))).isEqualTo("earlier results");
        assertThat(stagingLeftIn(tmp)).isEmpty();
    }

    @Test
    void aFolderChangedDuringTheRunIntoAUserFolderIsNotReplaced() throws IOException {
        Path target = tmp.resolve("out");
        try (OutputFolder folder = new OutputFolder("--out", target, List.of())) {
            Files.createDirectories(target);
            Files.writeString(target.resolve("mine.txt"), "user data");
            assertThatThrownBy(folder::commit).isInstanceOf(InputException.class);
        }
        assertThat(Files.readString(target.resolve("mine.txt"))).isEqualTo("user data");
    }

    @Test
    void outputFoldersGetTheUsersUmaskNotMode0700() throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Path reference = Files.createDirectory(tmp.resolve("made-by-mkdir"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(reference);
        Path out = tmp.resolve("run");
        assertThat(CliRunner.run("run", EXAMPLE, "--out", out.toString()).exitCode()).isZero();
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(expected);
    }

    @Test
    void sigtermDuringARunLeavesNoStagingFolderAndNoOutput() throws Exception {
        Path config = tmp.resolve("long.yaml");
        String abs = Path.of("data").toAbsolutePath() + "/";
        Files.writeString(config, Files.readString(Path.of("examples/synthetic-rtxpro6000.yaml"))
                .replace("../data/", abs).replace("num_requests: 2000", "num_requests: 2000000"));
        Path out = tmp.resolve("long-out");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "run", config.toString(), "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stagingLeftIn(tmp).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(stagingLeftIn(tmp)).as("the child should be running into its staging folder").isNotEmpty();
        Thread.sleep(500);  // let it write into the staging folder for a while
        p.destroy();  // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stagingLeftIn(tmp)).isEmpty();
        assertThat(Files.exists(out)).isFalse();
    }

    private static final String LSS = "data/llmservingsim/";
    private static final String MODEL = LSS + "models/meta-llama/Llama-3.1-8B.json";

    private static String[] validate(String... extra) {
        List<String> a = new ArrayList<>(List.of("validate", LSS + "runs/RTX4090/Llama-3.1-8B",
                "--workload", LSS + "workloads/sharegpt-llama-3.1-8b-300-sps10.jsonl.gz",
                "--profile", LSS + "perf/RTX4090/meta-llama/Llama-3.1-8B/bf16", "--model", MODEL));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void singleFileOutputsNeverOverwriteAnInputOrWriteIntoTheRealRun() throws IOException {
        Path folder = plantUserFiles();
        byte[] model = Files.readAllBytes(Path.of(MODEL));
        assertRefused(CliRunner.run(validate("--json", MODEL)), "is the input");
        assertRefused(CliRunner.run(validate("--csv", LSS + "runs/RTX4090/Llama-3.1-8B/sim.csv")),
                "inside the input folder");
        assertRefused(CliRunner.run(validate("--json", folder.toString())), "is a folder");
        assertRefused(CliRunner.run(validate("--json", tmp.resolve("a").toString(), "--csv", tmp.resolve("a").toString())),
                "same file");
        assertRefused(CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--tp", "1", "--isl", "256",
                "--osl", "32", "--concurrency", "2", "--json", MODEL), "is the input");
        assertRefused(CliRunner.run("estimate", "--gpu", "h100_sxm", "--model", MODEL, "--tp", "1", "--isl", "256",
                "--osl", "32", "--concurrency", "2", "--json", folder.toString()), "is a folder");
        assertThat(Files.readAllBytes(Path.of(MODEL))).isEqualTo(model);
        assertThat(Path.of(LSS + "runs/RTX4090/Llama-3.1-8B/sim.csv")).doesNotExist();
        assertUserFilesIntact(folder);
    }

    @Test
    void aFailedValidateLeavesNeitherAHalfCsvNorItsTemporary() throws IOException {
        Path csv = tmp.resolve("sim.csv");
        Files.writeString(csv, "an earlier result");
        // A bad --step-model fails before any row is written; the earlier file stays as it was.
        CliRunner.Result r = CliRunner.run(validate("--csv", csv.toString(), "--step-model", "guess"));
        assertThat(r.exitCode()).isEqualTo(Main.EXIT_BAD_INPUT);
        assertThat(Files.readString(csv)).isEqualTo("an earlier result");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("sim.csv");
        }
    }

    @Test
    void validateWritesItsCsvWhole() throws IOException {
        Path csv = tmp.resolve("out/sim.csv");
        CliRunner.Result r = CliRunner.run(validate("--csv", csv.toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        // The 300 requests of the run, one row each, after the header.
        assertThat(Files.readAllLines(csv)).hasSize(301);
        try (Stream<Path> left = Files.list(csv.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("sim.csv");
        }
    }

    private static List<Path> stagingLeftIn(Path dir) throws IOException {
        List<Path> left = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> f.getFileName().toString().contains(".partial-")
                    || f.getFileName().toString().contains(".old-")).forEach(left::add);
        }
        return left;
    }
}
