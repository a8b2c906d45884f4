package io.agentservesim.calibrate;

import java.nio.file.Path;

/** The repository's data folder, as the tests (run from the repository root) see it. */
final class RepoData {
    static final CalibrationData DATA = new CalibrationData(Path.of("data"));

    private RepoData() {
    }
}
