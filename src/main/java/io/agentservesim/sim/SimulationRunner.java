package io.agentservesim.sim;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.metrics.RequestCsvWriter;
import io.agentservesim.metrics.RequestMetrics;
import io.agentservesim.metrics.RunSummary;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.power.EnergyMeter;
import io.agentservesim.power.EnergyReport;
import io.agentservesim.power.PowerCsv;
import io.agentservesim.power.PowerSettings;
import io.agentservesim.workload.RequestSource;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs one single-instance simulation: a workload feeder and one engine on one kernel. Finished
 * requests go to the summary and, when a CSV path is given, to the per-request CSV.
 */
public final class SimulationRunner {

    /** Extra per-request sink (e.g. the validator keeps exact latencies). */
    public interface RequestSink {
        void accept(Request r, RequestMetrics m);
    }

    private final EngineConfig engineConfig;
    private final StepTimeModel stepTime;
    private final Supplier<RequestSource> workload;
    private final String workloadName;
    private final String modelName;
    private final boolean recordItl;
    /** Null: no energy accounting and no "energy" in the summary. */
    private PowerSettings power;

    public SimulationRunner(EngineConfig engineConfig, StepTimeModel stepTime, Supplier<RequestSource> workload,
                            String workloadName, String modelName, boolean recordItl) {
        this.engineConfig = engineConfig;
        this.stepTime = stepTime;
        this.workload = workload;
        this.workloadName = workloadName;
        this.modelName = modelName;
        this.recordItl = recordItl;
    }

    /** Accounts energy with these settings (summary "energy"; power.csv beside requests.csv). */
    public SimulationRunner withPower(PowerSettings settings) {
        this.power = settings;
        return this;
    }

    public RunSummary run(Path requestsCsv, RequestSink sink) {
        long wallStart = System.nanoTime();
        RunSummary summary = new RunSummary();
        Simulation sim = new Simulation();
        try (RequestSource source = workload.get();
             RequestCsvWriter csv = requestsCsv == null ? null : new RequestCsvWriter(requestsCsv, modelName)) {
            RequestListener listener = (instanceId, r) -> {
                RequestMetrics m = RequestMetrics.of(r);
                summary.record(r, m);
                if (csv != null) {
                    csv.write(instanceId, r, m);
                }
                if (sink != null) {
                    sink.accept(r, m);
                }
            };
            EngineInstance engine = new EngineInstance(0, sim, engineConfig, stepTime, listener, recordItl && csv != null);
            EnergyMeter meter = power == null || !power.enabled() ? null
                    : new EnergyMeter(power, 1, requestsCsv == null ? 0 : 1_000_000_000L);
            if (meter != null) {
                engine.setStepObserver(meter);
            }
            WorkloadFeeder feeder = new WorkloadFeeder(sim, source, engine, workloadName);
            feeder.start();
            sim.run();
            summary.setEngineCounters(engine.steps(), engine.scheduler().preemptions(), sim.now(),
                    System.nanoTime() - wallStart, stepTime.source());
            if (power != null && meter == null) {
                summary.setEnergy(EnergyReport.off(power));
            } else if (meter != null) {
                long start = summary.requests() == 0 ? 0 : summary.firstArrivalNs();
                long end = summary.requests() == 0 ? 0 : summary.lastFinishNs();
                summary.setEnergy(EnergyReport.of(power, meter, start, end, summary.outputTokens(), 0));
                if (requestsCsv != null) {
                    PowerCsv.write(requestsCsv.resolveSibling("power.csv"), power, meter, start, end);
                }
            }
        }
        return summary;
    }
}
