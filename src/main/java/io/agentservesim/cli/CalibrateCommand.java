package io.agentservesim.cli;

import io.agentservesim.calibrate.CalibrationData;
import io.agentservesim.calibrate.CalibrationFile;
import io.agentservesim.calibrate.CalibrationReport;
import io.agentservesim.calibrate.RooflineCalibration;
import io.agentservesim.perf.roofline.RooflineFactors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code asim calibrate}: refits the roofline factors on the measurements under the install's
 * {@code data/} (LLMServingSim bundles, AIConfigurator tables), writes
 * {@code data/hardware/roofline-calibration.yaml} (the next {@code bin/asim} call rebuilds the jar with it)
 * and prints the leave-one-out tables of VALIDATION.md. {@code --check} fits without writing and exits 1
 * when the fit differs from the file; {@code --no-fit} prints the tables with the file's factors.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Refit the roofline factors from data/, write data/hardware/roofline-calibration.yaml and"
                + " print the leave-one-out validation tables (Markdown).")
final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "data folder (default: the install's data/)")
    Path data;

    @Option(names = "--out", paramLabel = "FILE",
            description = "calibration file to write (default: DATA/hardware/roofline-calibration.yaml)")
    Path out;

    @Option(names = "--check", description = "fit, write nothing; exit 1 if the fit differs from the calibration file")
    boolean check;

    @Option(names = "--no-fit", description = "no refit: print the tables with the calibration file's factors")
    boolean noFit;

    @Option(names = "--tables", split = ",", paramLabel = "NAME",
            description = "tables to print: all (default), none, or any of bundles, bundles-only, gpus, moe,"
                    + " collectives, vidur")
    List<String> tables = List.of("all");

    @Option(names = "--compare", paramLabel = "FILE",
            description = "also price the collective and Vidur all-reduce tables with this calibration file")
    Path compare;

    @Override
    public Integer call() {
        if (check && noFit) {
            throw new ParameterException(spec.commandLine(), "--check and --no-fit exclude each other");
        }
        Set<CalibrationReport.Table> which = tables();
        CalibrationData where = data == null ? CalibrationData.install() : new CalibrationData(data);
        Path file = out == null ? where.calibrationFile() : out;
        if (!check && !noFit) {
            CalibrationFile.requireReplaceable(file);   // before a fit of several seconds
        }
        RooflineFactors factors;
        int exit = 0;
        if (noFit) {
            factors = Files.exists(file) ? RooflineFactors.load(file) : RooflineFactors.builtin();
        } else {
            long start = System.nanoTime();
            RooflineCalibration.Result fit = RooflineCalibration.fit(where);
            System.err.printf(Locale.ROOT, "asim calibrate: fitted in %.1f s%n", (System.nanoTime() - start) * 1e-9);
            factors = fit.factors(file);
            if (check) {
                exit = compareWith(file, fit.yaml());
            } else {
                CalibrationFile.write(file, fit.yaml());
                boolean shipped = file.toAbsolutePath().normalize()
                        .equals(CalibrationData.install().calibrationFile().toAbsolutePath().normalize());
                System.err.println("asim calibrate: wrote " + file
                        + (shipped ? " (bin/asim rebuilds the jar with it on its next call)" : ""));
            }
        }
        RooflineFactors against = compare == null ? null : RooflineFactors.load(compare);
        CalibrationReport.print(where, factors, against, compare == null ? null : compare.toString(), which, System.out);
        return exit;
    }

    private Set<CalibrationReport.Table> tables() {
        Set<CalibrationReport.Table> which = EnumSet.noneOf(CalibrationReport.Table.class);
        for (String t : tables) {
            switch (t) {
                case "all" -> which.addAll(EnumSet.allOf(CalibrationReport.Table.class));
                case "none" -> { }
                default -> {
                    try {
                        which.add(CalibrationReport.Table.of(t));
                    } catch (IllegalArgumentException e) {
                        throw new ParameterException(spec.commandLine(), "--tables: " + e.getMessage());
                    }
                }
            }
        }
        return which;
    }

    /** 0 when {@code file} holds exactly {@code yaml}, else 1 with the first differing line on stderr. */
    private static int compareWith(Path file, String yaml) {
        String have;
        try {
            have = Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (have.equals(yaml)) {
            System.err.println("asim calibrate: the fit reproduces " + file);
            return 0;
        }
        String[] a = have.split("\n", -1);
        String[] b = yaml.split("\n", -1);
        int line = 0;
        while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
            line++;
        }
        System.err.printf(Locale.ROOT, "asim calibrate: the fit differs from %s at line %d: file \"%s\", fit \"%s\"%n",
                file, line + 1, line < a.length ? a[line] : "", line < b.length ? b[line] : "");
        return 1;
    }
}
