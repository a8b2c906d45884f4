package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code asim calibrate} on a data folder of its own (the AIConfigurator tables of two GPUs, no bundles):
 * every path is taken from {@code --data}, never from the working directory; it writes the
 * calibration file there, {@code --check} reproduces it, a file it did not write is refused, and a bad
 * table name is a one-line error.
 */
class CalibrateCommandTest {
    private static final Path REPO = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;
    private Path data;

    @BeforeEach
    void smallDataFolder() throws IOException {
        data = tmp.resolve("data");
        copy("llmservingsim/models/meta-llama/Llama-3.1-8B.json");
        copy("llmservingsim/models/Qwen/Qwen3-30B-A3B-Instruct-2507.json");
        copy("aiconfigurator/perf/h100_sxm");
        copy("aiconfigurator/perf/l40s");
    }

    private void copy(String path) throws IOException {
        Path from = REPO.resolve("data").resolve(path);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path to = data.resolve(path).resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
    }

    @Test
    void fitsTheDataFolderWritesItsCalibrationAndReproducesItOnCheck() throws IOException {
        CliRunner.Result r = CliRunner.run("calibrate", "--data", data.toString(), "--tables", "gpus");
        assertThat(r.exitCode()).as(r.err()).isZero();
        Path file = data.resolve("hardware/roofline-calibration.yaml");
        String yaml = Files.readString(file);
        assertThat(yaml).startsWith("# Roofline efficiency factors, fitted by `asim calibrate`")
                .contains("#   data/aiconfigurator/perf/h100_sxm/vllm-0.19.0\n#   data/aiconfigurator/perf/l40s/vllm-0.14.0\n")
                .doesNotContain(tmp.toString());
        RooflineFactors f = RooflineFactors.load(file);
        GpuCatalog catalog = GpuCatalog.builtin();
        // Each GPU with data gets its own entry, refitted on its data: they differ from each other.
        assertThat(f.forGpu(catalog.get("h100_sxm")).gemmFlopFraction())
                .isNotEqualTo(f.forGpu(catalog.get("l40s")).gemmFlopFraction());
        // The leave-one-GPU-out table of the two GPUs, each predicted from the other.
        assertThat(r.out()).contains("## Leave-one-GPU-out").contains("| h100_sxm | AIC tables, Llama-3.1-8B |")
                .contains("| l40s | AIC tables, Llama-3.1-8B |");

        CliRunner.Result check = CliRunner.run("calibrate", "--data", data.toString(), "--check", "--tables", "none");
        assertThat(check.exitCode()).as(check.err()).isZero();
        assertThat(check.err()).contains("the fit reproduces");
        assertThat(Files.readString(file)).isEqualTo(yaml);
    }

    @Test
    void checkReportsTheFirstDifferingLineAndExitsOne() throws IOException {
        Path out = tmp.resolve("other.yaml");
        assertThat(CliRunner.run("calibrate", "--data", data.toString(), "--out", out.toString(), "--tables", "none")
                .exitCode()).isZero();
        String yaml = Files.readString(out);
        Files.writeString(out, yaml.replaceFirst("gemm_flop_fraction: [0-9.]+", "gemm_flop_fraction: 0.5000"));
        CliRunner.Result r = CliRunner.run("calibrate", "--data", data.toString(), "--out", out.toString(), "--check",
                "--tables", "none");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("differs from " + out).contains("gemm_flop_fraction: 0.5000");
    }

    @Test
    void aFileTheCalibrationDidNotWriteIsNotOverwritten() throws IOException {
        Path mine = tmp.resolve("mine.yaml");
        Files.writeString(mine, "default: {gemm_flop_fraction: 0.9}\n");
        CliRunner.Result r = CliRunner.run("calibrate", "--data", data.toString(), "--out", mine.toString(),
                "--tables", "none");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: " + mine).contains("not written by asim calibrate")
                .doesNotContain("\n");
        assertThat(Files.readString(mine)).isEqualTo("default: {gemm_flop_fraction: 0.9}\n");
    }

    @Test
    void anUnknownTableIsAOneLineErrorListingTheValidOnes() {
        CliRunner.Result r = CliRunner.run("calibrate", "--data", data.toString(), "--no-fit", "--tables", "loo");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).contains("unknown table \"loo\"").contains("bundles, bundles-only, gpus, moe")
                .doesNotContain("\n");
        assertThat(data.resolve("hardware")).doesNotExist();
    }
}
