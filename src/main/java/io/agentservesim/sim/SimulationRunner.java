package io.agentservesim.sim;

import io.agentservesim.engine.EngineConfig;
import io.agentservesim.engine.EngineInstance;
import io.agentservesim.engine.LockstepGroup;
import io.agentservesim.engine.Request;
import io.agentservesim.engine.RequestListener;
import io.agentservesim.kernel.Simulation;
import io.agentservesim.metrics.RequestCsvWriter;
import io.agentservesim.metrics.RequestMetrics;
import io.agentservesim.metrics.RunSummary;
import io.agentservesim.perf.StepTimeModel;
import io.agentservesim.perf.parallel.DataParallel;
import io.agentservesim.power.EnergyMeter;
import io.agentservesim.power.EnergyReport;
import io.agentservesim.power.PowerCsv;
import io.agentservesim.power.PowerSettings;
import io.agentservesim.workload.RequestSource;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Runs one deployment's simulation: a workload feeder and one engine on one kernel, or the
 * data-parallel ranks of one deployment (each an engine; an MoE model's in a {@link LockstepGroup}) behind
 * one front end that balances arrivals over them. Finished requests go to the summary and, when a CSV path
 * is given, to the per-request CSV (its instance column is the rank).
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
    private DataParallel dataParallel = DataParallel.NONE;

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

    /** Serves the workload with these data-parallel ranks (default: one engine). */
    public SimulationRunner withDataParallel(DataParallel dp) {
        this.dataParallel = dp;
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
            int n = dataParallel.size();
            EngineInstance[] ranks = new EngineInstance[n];
            EnergyMeter meter = power == null || !power.enabled() ? null
                    : new EnergyMeter(power, n, requestsCsv == null ? 0 : 1_000_000_000L);
            for (int i = 0; i < n; i++) {
                ranks[i] = new EngineInstance(i, sim, engineConfig, stepTime, listener, recordItl && csv != null);
                if (meter != null) {
                    ranks[i].setStepObserver(meter);
                }
            }
            if (dataParallel.lockstepped()) {
                new LockstepGroup(sim, ranks, dataParallel.lockstep());
            }
            WorkloadFeeder feeder = new WorkloadFeeder(sim, source, ranks, workloadName);
            feeder.start();
            sim.run();
            long steps = 0;
            long preemptions = 0;
            for (EngineInstance r : ranks) {
                steps += r.steps();
                preemptions += r.scheduler().preemptions();
            }
            summary.setEngineCounters(steps, preemptions, sim.now(), System.nanoTime() - wallStart,
                    dataParallel.lockstepped() ? dataParallel.lockstep().source()
                            : (n > 1 ? "dp" + n + " independent ranks: " : "") + stepTime.source());
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
