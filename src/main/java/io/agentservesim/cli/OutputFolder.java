package io.agentservesim.cli;

import io.agentservesim.error.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Writes a run's outputs into a staging folder beside the target and moves it into place only when the
 * run succeeded, so a failed or interrupted run never leaves a half-written output folder behind and never
 * loses an earlier output.
 *
 * <p>The target is checked first ({@link OutputTarget#checkFolder}): asim only ever replaces a folder it
 * wrote itself (one holding its {@value RunManifest#FILE}). Replacing is atomic in the sense that matters to
 * a user: the old output is renamed aside, the new one renamed in, and only then is the old one deleted;
 * when the second rename fails the old output is renamed back. Folders are created without explicit
 * permissions, so they get the user's umask (a temporary-directory API would force mode 0700). A JVM
 * shutdown hook (Ctrl-C, SIGTERM) removes staging folders that were not committed.
 */
public final class OutputFolder implements AutoCloseable {
    /** Renames one path to another; a seam so a test can make the second rename of a replace fail. */
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    private static final Mover ATOMIC = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    /** Staging folders not yet committed, removed by the shutdown hook on an interrupt. */
    private static final Set<Path> LIVE_STAGING = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private final Path target;
    private final Path staging;
    private final Mover mover;
    private boolean committed;

    /** Checks {@code target} against the run's {@code inputs} and creates the staging folder beside it. */
    public OutputFolder(String option, Path target, List<Path> inputs) {
        this(OutputTarget.checkFolder(option, target, inputs), ATOMIC);
    }

    OutputFolder(Path checkedTarget, Mover mover) {
        this.target = checkedTarget;
        this.mover = mover;
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            this.staging = createSibling(parent, "." + target.getFileName() + ".partial-");
        } catch (IOException e) {
            throw new InputException(target + ": cannot create the output folder: " + e.getMessage());
        }
        register(staging);
    }

    /** Where the outputs are written until {@link #commit()}. */
    public Path dir() {
        return staging;
    }

    public Path finalDir() {
        return target;
    }

    /** Moves the staged outputs into place, replacing an earlier asim output without ever losing it. */
    public void commit() {
        Path aside = null;
        synchronized (LIVE_STAGING) {
            try {
                if (Files.exists(target)) {
                    // Re-checked: the folder may have changed while the run was going.
                    OutputTarget.requireReplaceable(target);
                    aside = createSibling(target.getParent(), "." + target.getFileName() + ".old-");
                    Files.delete(aside);
                    mover.move(target, aside);
                }
                try {
                    mover.move(staging, target);
                } catch (IOException e) {
                    if (aside != null) {
                        mover.move(aside, target);
                    }
                    throw e;
                }
                committed = true;
                LIVE_STAGING.remove(staging);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the outputs into " + target + " (the earlier output, if"
                        + " any, is unchanged): " + e.getMessage(), e);
            }
        }
        if (aside != null) {
            try {
                deleteTree(aside);
            } catch (UncheckedIOException e) {
                System.err.println("warning: the new outputs are in " + target + ", but the earlier output moved"
                        + " aside to " + aside + " could not be removed: " + e.getCause().getMessage());
            }
        }
    }

    @Override
    public void close() {
        synchronized (LIVE_STAGING) {
            if (!committed) {
                LIVE_STAGING.remove(staging);
                deleteQuietly(staging);
            }
        }
    }

    /** A new empty folder {@code parent/prefix<random>}, created with the user's umask. */
    private static Path createSibling(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = parent.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void register(Path staging) {
        synchronized (LIVE_STAGING) {
            LIVE_STAGING.add(staging);
            if (!hookInstalled) {
                hookInstalled = true;
                Runtime.getRuntime().addShutdownHook(new Thread(OutputFolder::removeLiveStaging,
                        "asim-remove-staging"));
            }
        }
    }

    /** On Ctrl-C or SIGTERM: the run is abandoned, so its staging folders go (the target is untouched). */
    private static void removeLiveStaging() {
        synchronized (LIVE_STAGING) {
            for (Path p : LIVE_STAGING) {
                // The simulation thread may still be writing: retry until the folder stays gone.
                for (int attempt = 0; attempt < 20 && Files.exists(p); attempt++) {
                    deleteQuietly(p);
                }
            }
            LIVE_STAGING.clear();
        }
    }

    private static void deleteQuietly(Path root) {
        try {
            deleteTree(root);
        } catch (UncheckedIOException e) {
            // best effort: a file created while deleting leaves the folder; the caller retries or reports
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
