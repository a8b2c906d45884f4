package io.agentservesim.calibrate;

import static io.agentservesim.calibrate.RepoData.DATA;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code data/hardware/roofline-calibration.yaml} is exactly what the calibration fits on the
 * repository's data: a change to the roofline or the fit that would move a factor fails here until the file
 * is refitted ({@code bin/asim calibrate}) and committed with the validation tables re-run. About 7 s: in the
 * {@code calibration} profile ({@code mvn -Pcalibration test}, run by CI), not the default suite.
 */
@Tag("calibration")
class ShippedCalibrationTest {
    @Test
    void refittingTheRepositoryDataReproducesTheShippedFileByteForByte() throws IOException {
        String shipped = Files.readString(DATA.calibrationFile());
        assertThat(RooflineCalibration.fit(DATA).yaml()).isEqualTo(shipped);
    }
}
