package io.agentservesim.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.hardware.GpuCatalog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelTablesTest {
    private static final Path AIC = RepoData.DATA.aic();
    private static final GpuCatalog CATALOG = GpuCatalog.builtin();

    @Test
    void dropsOnlyTheContextRowsAboveTheGpusPeak() {
        KernelTables h200 = KernelTables.read(AIC, CATALOG.get("h200_sxm"));
        KernelTables h100 = KernelTables.read(AIC, CATALOG.get("h100_sxm"));
        // 1,368 H200 rows = 684 shapes measured twice and averaged; 601 rows = 300.5 shapes: both versions
        // of a shape are above peak or neither is, except where the two runs straddle it.
        assertThat(h200.droppedAbovePeak()).isBetween(300, 302);
        assertThat(h100.droppedAbovePeak()).isZero();
        // Every context row kept implies no more than the dense BF16 peak.
        double peak = CATALOG.get("h200_sxm").bf16DenseFlops();
        long kept = 0;
        for (KernelTables.Attention a : h200.attention()) {
            if (a.context()) {
                kept++;
                double flops = 2.0 * a.batch() * a.tokens() * (double) a.tokens() * 128 * a.heads();
                assertThat(flops / (a.us() * 1e-6)).isLessThanOrEqualTo(peak);
            }
        }
        assertThat(kept + h200.droppedAbovePeak()).isEqualTo(684);
    }

    @Test
    void aMalformedRowIsOneLineNamingFileAndLine(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("h100_sxm/vllm-0.19.0");
        Files.createDirectories(dir);
        gz(dir.resolve("gemm_perf.csv.gz"), "gemm_dtype,m,n,k,latency\nbfloat16,1,4096,4096,0.01\nbfloat16,2,4096,x,0.02\n");
        assertThatThrownBy(() -> KernelTables.read(tmp, CATALOG.get("h100_sxm")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("gemm_perf.csv.gz").hasMessageContaining("3")
                .hasMessageContaining("not a number");
    }

    private static void gz(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
