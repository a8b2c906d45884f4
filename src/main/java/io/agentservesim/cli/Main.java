package io.agentservesim.cli;

import io.agentservesim.error.InputException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/asim}. Bad input prints one line and exits with 2. */
@Command(name = "asim", mixinStandardHelpOptions = true, version = "AgentServeSim " + Main.VERSION,
        description = "Simulates LLM serving with vLLM v1 semantics and measured step times.",
        subcommands = {RunCommand.class, ValidateCommand.class, BenchCommand.class, EstimateCommand.class,
            CalibrateCommand.class, ReportCommand.class})
public final class Main {
    public static final int EXIT_BAD_INPUT = 2;
    /** asim's version, written into every output folder's manifest. */
    public static final String VERSION = "0.1.0";

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex;
            if (t instanceof UncheckedIOException u && u.getCause() != null) {
                cmd.getErr().println("error: " + u.getCause().getMessage());
                return 1;
            }
            if (t instanceof java.nio.file.InvalidPathException bad) {
                // A path the platform cannot encode (a non-ASCII name under LANG=C without UTF-8 file names).
                cmd.getErr().println("error: path '" + bad.getInput() + "' cannot be used here: " + bad.getReason()
                        + " (run with a UTF-8 locale, e.g. LANG=C.UTF-8)");
                return EXIT_BAD_INPUT;
            }
            if (t instanceof InputException) {
                cmd.getErr().println("error: " + t.getMessage());
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }
}
