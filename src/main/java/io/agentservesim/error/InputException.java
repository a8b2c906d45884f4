package io.agentservesim.error;

import java.nio.file.Path;

/**
 * Bad user input: a malformed or missing file, an impossible setting. The message is one line that
 * names the file (and line or field) and what was expected; the CLI prints it and exits with code 2.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "FILE: what" */
    public static InputException at(Path file, String what) {
        return new InputException(file + ": " + what);
    }

    /** "FILE:LINE: what" */
    public static InputException at(Path file, long line, String what) {
        return new InputException(file + ":" + line + ": " + what);
    }
}
