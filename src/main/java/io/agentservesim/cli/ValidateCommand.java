package io.agentservesim.cli;

import io.agentservesim.error.InputException;
import io.agentservesim.validate.Validator;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code asim validate RUN_DIR --workload F (--profile B | --step-model roofline [--gpu ID]) --model C
 * [--json OUT]}: real vs simulated.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Replay a real vLLM run and print real vs simulated vs Diff%% for every summary row.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR",
            description = "real-run folder: config.json, vllm/meta.json, vllm/requests.jsonl")
    Path runDir;

    @Option(names = "--workload", required = true, paramLabel = "FILE", description = "the workload that drove the run")
    Path workload;

    @Option(names = "--profile", paramLabel = "BUNDLE_DIR",
            description = "profile bundle folder holding meta.yaml and tp<N>/ (required with --step-model profile)")
    Path profile;

    @Option(names = "--step-model", paramLabel = "KIND", defaultValue = "profile",
            description = "profile (the bundle's measured op times), roofline (GPU specs alone, profile ignored) or"
                    + " kernel-tables (AIConfigurator's measured vLLM kernels of --gpu or the run's GPU)")
    String stepModel;

    @Option(names = "--gpu", paramLabel = "ID",
            description = "catalog GPU id: the GPU of --step-model roofline, and at TP > 1 the links the all-reduces are priced on"
                    + " (default: the run's or the profile's hardware, e.g. RTX4090 -> rtx_4090)")
    String gpu;

    @Option(names = "--model", required = true, paramLabel = "CONFIG_JSON", description = "the model's HF config.json")
    Path model;

    @Option(names = "--json", paramLabel = "OUT", description = "also write metric -> {real, sim, diff_pct} as JSON")
    Path json;

    @Option(names = "--csv", paramLabel = "OUT", description = "also write the simulated per-request CSV")
    Path csv;

    @Option(names = "--phases", paramLabel = "N",
            description = "also print real vs simulated mean TTFT and TPOT for N groups of requests in arrival order")
    Integer phases;

    @Override
    public Integer call() {
        if (phases != null && phases < 1) {
            throw new InputException("--phases: expected a number of groups >= 1, got " + phases);
        }
        java.util.List<Path> inputs = java.util.Arrays.asList(runDir, workload, profile, model);
        if (json != null) {
            json = OutputTarget.checkFile("--json", json, inputs);
        }
        if (csv != null) {
            csv = OutputTarget.checkFile("--csv", csv, inputs);
        }
        if (json != null && csv != null && json.equals(csv)) {
            throw new InputException("--json and --csv name the same file " + json + "; give two paths");
        }
        Validator.Result result = csv == null ? replay(null) : OutputFile.writeVia(csv, this::replay);
        if (json != null) {
            OutputFile.write(json, result.toJson());
        }
        System.out.print(result.toTable());
        if (phases != null) {
            System.out.println();
            System.out.print(result.phases(phases).toTable());
        }
        return 0;
    }

    /** The replay of the chosen step model; its per-request rows go to {@code requestsCsv} when not null. */
    private Validator.Result replay(Path requestsCsv) {
        return switch (stepModel) {
            case "profile" -> {
                if (profile == null) {
                    throw new InputException("--profile BUNDLE_DIR is required with --step-model profile");
                }
                yield Validator.validate(runDir, workload, profile, model, requestsCsv, gpu);
            }
            case "roofline" -> Validator.validateRoofline(runDir, workload, gpu, model, requestsCsv);
            case "kernel-tables" -> Validator.validateKernelTables(runDir, workload, gpu, model, requestsCsv);
            default -> throw new InputException("--step-model: expected profile, roofline or kernel-tables, got \""
                    + stepModel + "\"");
        };
    }
}
