package io.agentservesim.cli;

/**
 * Whether stderr is a terminal, where a progress bar belongs; a pipe, a file, a test or CI gets nothing
 * extra. The JVM cannot ask about stderr itself (System.console() speaks of stdin and stdout, and from Java 22
 * is non-null even when they are redirected), so bin/asim passes the shell's {@code [ -t 2 ]} as
 * {@code -Dasim.stderrTerminal=true}.
 */
final class StderrTerminal {
    static final String PROPERTY = "asim.stderrTerminal";

    private StderrTerminal() {
    }

    static boolean isTerminal() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** {@code flag}: --progress (true), --no-progress (false), or neither (null: a terminal decides). */
    static boolean showProgress(Boolean flag) {
        return flag != null ? flag : isTerminal();
    }
}
