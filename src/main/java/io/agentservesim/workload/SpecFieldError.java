package io.agentservesim.workload;

import io.agentservesim.error.InputException;
import java.nio.file.Path;

/**
 * Builds the one-line error for an impossible value in a workload spec, naming the file it came from
 * (when known) and the dotted field path, e.g. {@code scenario.yaml: workload.input.max: ...}.
 */
final class SpecFieldError {
    private SpecFieldError() {
    }

    static InputException of(Path source, String field, String what) {
        String message = field + ": " + what;
        return source == null
                ? new InputException("synthetic workload spec: " + message)
                : InputException.at(source, message);
    }

    static String join(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }
}
