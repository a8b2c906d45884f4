package io.agentservesim.error;

import java.nio.file.Path;

/**
 * Builds the one-line {@link InputException} for an impossible value in a YAML spec, naming the file
 * it came from (when known) and the dotted field path, e.g. {@code scenario.yaml: programs.tools.bash.gap.sd_s: ...}.
 */
public final class FieldPathError {
    private FieldPathError() {
    }

    /** "FILE: FIELD: what", or "SUBJECT: FIELD: what" when the spec was built in code. */
    public static InputException of(Path source, String subject, String field, String what) {
        String message = field + ": " + what;
        return source == null ? new InputException(subject + ": " + message) : InputException.at(source, message);
    }

    /** {@code prefix.field}, or just {@code field} when the prefix is empty. */
    public static String join(String prefix, String field) {
        return prefix == null || prefix.isEmpty() ? field : prefix + "." + field;
    }
}
