package io.agentservesim.cli;

import io.agentservesim.estimate.ClosedLoopEstimate;
import io.agentservesim.hardware.GpuCatalog;
import io.agentservesim.hardware.GpuSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code asim estimate --gpu ID --model CONFIG_JSON --tp N --isl I --osl O --concurrency C [--json OUT]}:
 * mean TTFT, TPOT and output tokens/s of one engine under {@code vllm bench serve --max-concurrency C}'s
 * client, and the engine settings used ({@link ClosedLoopEstimate}).
 */
@Command(name = "estimate", mixinStandardHelpOptions = true,
        description = "Mean TTFT, TPOT and output tokens/s of one engine on N catalog GPUs under vllm bench serve's"
                + " client (request rate inf, at most C requests in flight, --num-prompts in all), and the engine"
                + " settings it used.")
final class EstimateCommand implements Callable<Integer> {
    @Option(names = "--gpu", required = true, paramLabel = "ID", description = "catalog GPU id, e.g. h100_sxm")
    String gpu;

    @Option(names = "--model", required = true, paramLabel = "CONFIG_JSON", description = "the model's HF config.json")
    Path model;

    @Option(names = "--tp", defaultValue = "1", paramLabel = "N", description = "tensor-parallel degree (GPUs)")
    int tp;

    @Option(names = "--isl", required = true, paramLabel = "I", description = "input tokens per request")
    int isl;

    @Option(names = "--osl", required = true, paramLabel = "O", description = "output tokens per request")
    int osl;

    @Option(names = "--concurrency", required = true, paramLabel = "C", description = "closed-loop clients")
    int concurrency;

    @Option(names = "--num-prompts", defaultValue = "1000", paramLabel = "N",
            description = "requests the benchmark sends in all, as vllm bench serve's --num-prompts (default 1000)")
    int numPrompts;

    @Option(names = "--random-range-ratio", defaultValue = "0.0", paramLabel = "R",
            description = "lengths drawn uniformly from [I(1-R), I(1+R)] and [O(1-R), O(1+R)], as vllm bench serve's"
                    + " random dataset (default 0: exact lengths)")
    double rangeRatio;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "seed of the length draws")
    long seed;

    @Option(names = "--profile", paramLabel = "BUNDLE_DIR",
            description = "optional profile bundle of this GPU and model: used where it answers, the roofline elsewhere")
    Path profile;

    @Option(names = "--kv-cache-dtype", defaultValue = "auto", paramLabel = "DTYPE",
            description = "KV-cache dtype as vLLM's --kv-cache-dtype: auto (the model's) or fp8 (default auto);"
                    + " weight quantization comes from the model config's quantization_config")
    String kvCacheDtype;

    @Option(names = "--catalog", paramLabel = "FILE", description = "GPU catalog file (default: the built-in one)")
    Path catalog;

    @Option(names = "--json", paramLabel = "OUT", description = "also write ttft_ms, tpot_ms, output_tok_s and the engine and client settings as JSON")
    Path json;

    @Override
    public Integer call() {
        if (json != null) {
            json = OutputTarget.checkFile("--json", json, java.util.Arrays.asList(model, profile, catalog));
        }
        GpuSpec spec = (catalog == null ? GpuCatalog.builtin() : GpuCatalog.load(catalog)).get(gpu);
        ClosedLoopEstimate.Result result = ClosedLoopEstimate.run(spec, model, tp, isl, osl,
                new ClosedLoopEstimate.Client(concurrency, numPrompts, rangeRatio, seed), profile, kvCacheDtype);
        if (json != null) {
            OutputFile.write(json, result.toJson());
        }
        System.out.print(result.toTable());
        return 0;
    }
}
