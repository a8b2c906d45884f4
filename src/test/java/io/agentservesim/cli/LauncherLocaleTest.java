package io.agentservesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/asim under a POSIX locale (LANG=C, as in many containers and CI images) still takes a non-ASCII output
 * path: the JVM would otherwise decode file names as ASCII and fail with InvalidPathException.
 */
class LauncherLocaleTest {
    @TempDir
    Path tmp;

    @Test
    void aUnicodeOutputPathWorksUnderThePosixLocale() throws IOException, InterruptedException {
        Path out = tmp.resolve("résultats-日本");
        ProcessBuilder pb = new ProcessBuilder("bash", "bin/asim", "run", "examples/rtx4090-llama8b-sharegpt.yaml",
                "--out", out.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("log").toFile());
        Map<String, String> env = pb.environment();
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        env.put("ASIM_CLASSPATH", System.getProperty("java.class.path"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(tmp.resolve("log"));
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(log).contains("outputs: " + out);
    }
}
