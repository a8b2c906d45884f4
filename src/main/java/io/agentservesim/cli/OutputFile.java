package io.agentservesim.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * A single output file ({@code --json}, {@code --csv}) written whole or not at all: into a hidden temporary file
 * beside it, then moved over the target in one step, so a failed or interrupted command leaves neither a half
 * file nor its temporary behind. The target is checked first with {@link OutputTarget#checkFile}.
 */
final class OutputFile {
    private OutputFile() {
    }

    /** Writes {@code content} to {@code target}. */
    static void write(Path target, String content) {
        writeVia(target, tmp -> {
            try {
                Files.writeString(tmp, content);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    /**
     * Lets {@code producer} write the file at the temporary path it is given, then moves it over {@code target};
     * returns what the producer returned. A producer that throws leaves nothing behind.
     */
    static <T> T writeVia(Path target, Function<Path, T> producer) {
        Path absolute = target.toAbsolutePath().normalize();
        Path tmp = null;
        try {
            Files.createDirectories(absolute.getParent());
            tmp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".partial");
            T result = producer.apply(tmp);
            Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp); // gone after the move; left only by a failed write or move
                } catch (IOException ignored) {
                    // nothing more to do: the command's own error is the one to report
                }
            }
        }
    }
}
