package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --set key.path=value} changes the run exactly as the same key written in the YAML does, and a
 * bad key or value is refused on one line that names it, exit 2, nothing written.
 */
class SetOverrideTest {
    private static final Path REPO = Path.of("").toAbsolutePath();
    private static final String MODEL = REPO.resolve("data/llmservingsim/models/meta-llama/Llama-3.1-8B.json").toString();
    private static final String PROFILE = REPO.resolve("data/llmservingsim/perf/RTX4090/meta-llama/Llama-3.1-8B/bf16").toString();

    @TempDir
    Path tmp;

    private Path config(String name, int maxNumSeqs) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, "model: " + MODEL + "\nhardware:\n  profile: " + PROFILE + "\nengine:\n"
                + "  num_gpu_blocks: 2000\n  max_num_batched_tokens: 2048\n  max_num_seqs: " + maxNumSeqs + "\n"
                + "workload:\n  synthetic:\n    num_requests: 120\n    rate_per_sec: 20\n"
                + "    input: {type: fixed, tokens: 600}\n    output: {type: fixed, tokens: 120}\nseed: 3\n");
        return f;
    }

    private String summary(Path config, String... sets) throws IOException {
        Path out = tmp.resolve("out-" + config.getFileName() + "-" + sets.length + "-" + String.join("_", sets).hashCode());
        String[] args = new String[3 + 2 * sets.length + 1];
        args[0] = "run";
        args[1] = config.toString();
        for (int i = 0; i < sets.length; i++) {
            args[2 + 2 * i] = "--set";
            args[3 + 2 * i] = sets[i];
        }
        args[args.length - 2] = "--out";
        args[args.length - 1] = out.toString();
        CliRunner.Result r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return Files.readString(out.resolve("summary.json"));
    }

    @Test
    void anOverrideRunsLikeTheKeyWrittenInTheFile() throws IOException {
        String written = summary(config("four.yaml", 4));
        String base = summary(config("base.yaml", 256));
        String overridden = summary(config("base.yaml", 256), "engine.max_num_seqs=4");
        assertThat(overridden).isEqualTo(written);
        assertThat(overridden).isNotEqualTo(base);
    }

    @Test
    void laterOverridesWinAndOpenSectionsTakeNewKeys() throws IOException {
        String written = summary(config("four.yaml", 4));
        assertThat(summary(config("base.yaml", 256), "engine.max_num_seqs=9", "engine.max_num_seqs=4"))
                .isEqualTo(written);
        // workload.synthetic is null in the reference: the path is created and bound as YAML would be.
        String fewer = summary(config("base.yaml", 256), "workload.synthetic.num_requests=30");
        assertThat(fewer).contains("\"completed\" : 30,");
    }

    private String fail(Path config, String set, String... mustContain) {
        Path out = tmp.resolve("bad-out");
        CliRunner.Result r = CliRunner.run("run", config.toString(), "--set", set, "--out", out.toString());
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("error: ").contains(mustContain);
        assertThat(out).doesNotExist();
        return err;
    }

    @Test
    void badKeysAndValuesAreNamed() throws IOException {
        Path c = config("base.yaml", 256);
        fail(c, "engine.max_num_seq=4", "--set engine.max_num_seq=4", "unknown key engine.max_num_seq",
                "max_num_seqs");
        fail(c, "enigne.block_size=8", "unknown key enigne");
        fail(c, "engine.max_num_seqs=many", "engine.max_num_seqs", "--set engine.max_num_seqs=many");
        fail(c, "engine.max_num_seqs", "expected key.path=value");
        fail(c, "engine..block_size=8", "empty segment");
    }
}
