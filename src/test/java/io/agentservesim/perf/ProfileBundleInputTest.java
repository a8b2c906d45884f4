package io.agentservesim.perf;

import io.agentservesim.error.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad bundles fail with one-line messages naming the file (and line) a user has to fix. */
class ProfileBundleInputTest {
    @TempDir
    Path dir;

    private Path bundle() {
        return SyntheticBundle.write(dir, false);
    }

    private static void replaceLine(Path file, int lineNo, String text) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(lineNo - 1, text);
        Files.write(file, lines);
    }

    @Test
    void missingTpFolderNamesIt() {
        assertThatThrownBy(() -> ProfileBundle.load(bundle(), 2))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("meta.yaml")
                .hasMessageContaining("tp_degrees [1] does not include the requested tp 2");
    }

    @Test
    void missingTpFolderWithoutTpDegreesNamesTheFolder() throws IOException {
        Path root = bundle();
        Path meta = root.resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta).replace("tp_degrees: [1]\n", ""));
        assertThatThrownBy(() -> ProfileBundle.load(root, 4))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("tp4")
                .hasMessageContaining("not found");
    }

    @Test
    void missingBundleFolder() {
        assertThatThrownBy(() -> ProfileBundle.load(dir.resolve("nope"), 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void missingAttentionCsvNamesTheFile() throws IOException {
        Path root = bundle();
        Files.delete(root.resolve("tp1/attention.csv"));
        assertThatThrownBy(() -> ProfileBundle.load(root, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("attention.csv")
                .hasMessageContaining("not found");
    }

    @Test
    void malformedNumberNamesFileAndLine() throws IOException {
        Path root = bundle();
        replaceLine(root.resolve("tp1/dense.csv"), 5, "qkv_proj,1,abc");
        assertThatThrownBy(() -> ProfileBundle.load(root, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("dense.csv:5:")
                .hasMessageContaining("time_us")
                .hasMessageContaining("abc");
    }

    @Test
    void wrongColumnCountNamesFileAndLine() throws IOException {
        Path root = bundle();
        replaceLine(root.resolve("tp1/attention.csv"), 3, "0,0,1,32");
        assertThatThrownBy(() -> ProfileBundle.load(root, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("attention.csv:3:")
                .hasMessageContaining("expected 5 columns");
    }

    @Test
    void wrongHeaderIsRejected() throws IOException {
        Path root = bundle();
        replaceLine(root.resolve("tp1/per_sequence.csv"), 1, "layer,tokens,time_us");
        assertThatThrownBy(() -> ProfileBundle.load(root, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("per_sequence.csv:1:")
                .hasMessageContaining("layer,sequences,time_us");
    }

    @Test
    void missingNeededOpNamesTheTable() throws IOException {
        Path root = bundle();
        Path seq = root.resolve("tp1/per_sequence.csv");
        Files.write(seq, Files.readAllLines(seq).stream().filter(l -> !l.startsWith("sampler")).toList());
        ProfileBundle b = ProfileBundle.load(root, 1);
        assertThatThrownBy(() -> new ProfileStepTimeModel(b, 2))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("per_sequence.csv")
                .hasMessageContaining("sampler");
    }

    @Test
    void moeBundleWithoutMoeParametersIsRejected() throws IOException {
        Path root = bundle();
        Files.writeString(root.resolve("tp1/moe.csv"), "tokens,activated_experts,time_us\n1,8,5\n");
        ProfileBundle b = ProfileBundle.load(root, 1);
        assertThat(b.moe()).isNotNull();
        assertThatThrownBy(() -> new ProfileStepTimeModel(b, 2))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("experts per token");
    }

    @Test
    void gridValueWithoutAnyRowIsRejected() throws IOException {
        Path root = bundle();
        Path meta = root.resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta).replace("chunks: 0, 16-32 x2", "chunks: 0, 16-64 x2"));
        assertThatThrownBy(() -> ProfileBundle.load(root, 1))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("attention.csv")
                .hasMessageContaining("prefill_chunk=64");
    }
}
