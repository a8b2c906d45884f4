package io.agentservesim.cli;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The refusals that keep asim from destroying a user's files: an output path is checked before anything
 * is written, and anything that asim would have to delete or overwrite without having written it itself
 * is refused with one line (exit 2).
 */
public final class OutputTarget {
    private OutputTarget() {
    }

    /**
     * Checks an output folder: not empty, not an existing file, not the current folder, not an ancestor of
     * the current folder or of an input, and, when it exists and is not empty, an earlier asim output (it
     * holds asim's {@value RunManifest#FILE}). Returns the absolute, normalized target.
     */
    public static Path checkFolder(String option, Path out, List<Path> inputs) {
        Path target = absolute(option, out);
        if (Files.isRegularFile(target)) {
            throw new InputException(option + " " + out + ": is an existing file; expected a folder (asim never"
                    + " replaces a file with its outputs)");
        }
        Path cwd = real(Path.of("").toAbsolutePath());
        Path real = real(target);
        if (cwd.startsWith(real)) {
            throw new InputException(option + " " + out + ": is the current folder or one of its ancestors;"
                    + " expected a new or earlier-output folder, e.g. " + option + " out/run1");
        }
        for (Path input : inputs) {
            if (input != null && real(input.toAbsolutePath().normalize()).startsWith(real)) {
                throw new InputException(option + " " + out + ": holds the input " + input
                        + "; expected an output folder outside the inputs");
            }
        }
        if (Files.isDirectory(target)) {
            requireReplaceable(target);
        }
        return target;
    }

    /**
     * Checks a single output file ({@code --json}, {@code --csv}, a report): not empty, not a folder, not
     * one of the inputs, not inside an input folder. An earlier file at that path is replaced (the user named the file). Returns the
     * absolute, normalized path.
     */
    public static Path checkFile(String option, Path out, List<Path> inputs) {
        Path target = absolute(option, out);
        if (Files.isDirectory(target)) {
            throw new InputException(option + " " + out + ": is a folder; expected a file path");
        }
        Path real = real(target);
        for (Path input : inputs) {
            if (input == null) {
                continue;
            }
            Path in = real(input.toAbsolutePath().normalize());
            if (in.equals(real)) {
                throw new InputException(option + " " + out + ": is the input " + input
                        + "; expected a new file path");
            }
            if (Files.isDirectory(in) && real.startsWith(in)) {
                // A real run's folder or a profile bundle is data: asim writes beside it, never into it.
                throw new InputException(option + " " + out + ": is inside the input folder " + input
                        + "; expected a path outside it");
            }
        }
        return target;
    }

    /** An existing folder may be replaced only when it is empty or an earlier asim output. */
    static void requireReplaceable(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(dir + ": is not a folder; expected a folder asim wrote");
        }
        if (isEmpty(dir) || RunManifest.isAsimOutput(dir)) {
            return;
        }
        throw new InputException(dir + ": is a non-empty folder that asim did not write (no asim "
                + RunManifest.FILE + "); choose a new folder or remove it yourself");
    }

    private static Path absolute(String option, Path out) {
        if (out == null || out.toString().isBlank()) {
            throw new InputException(option + ": is empty; expected a folder or file path");
        }
        try {
            return out.toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InputException(option + " " + out + ": not a valid path here: " + e.getMessage());
        }
    }

    /** The path with symbolic links resolved as far as it exists, so a link cannot hide an ancestor. */
    private static Path real(Path p) {
        Path existing = p;
        Path rest = Path.of("");
        while (existing != null && !Files.exists(existing)) {
            rest = existing.getFileName().resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        try {
            return existing.toRealPath().resolve(rest).normalize();
        } catch (IOException e) {
            return p;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
