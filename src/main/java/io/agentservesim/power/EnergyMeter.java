package io.agentservesim.power;

import io.agentservesim.engine.StepObserver;
import io.agentservesim.perf.BatchShape;

/**
 * Accounts GPU energy step by step for every instance of a run: each step's work ({@link StepWork})
 * gives its power above idle ({@link GpuPowerModel}); that power times the step's duration adds to the
 * instance's dynamic energy (and, when asked, to a {@link PowerTimeline}). Idle power is not summed here:
 * it is a constant that the report multiplies by the time window. A step's energy is folded in when the
 * instance's next step starts (steps of one instance never overlap), so {@link #dynamicJoulesUpTo}
 * answers for any time up to now in O(1). Nothing is allocated per step.
 */
public final class EnergyMeter implements StepObserver {
    private final PowerSettings[] settings;
    private final StepWork[] work;
    private final GpuPowerModel[] gpu;
    private final double[] folded;
    private final long[] start;
    private final long[] duration;
    private final double[] watts;
    private final long[] steps;
    private final PowerTimeline[] timelines;

    /** A meter for {@code instances} alike instances; {@code binNs} > 0 also bins energy by time for power.csv. */
    public EnergyMeter(PowerSettings settings, int instances, long binNs) {
        this(java.util.Collections.nCopies(instances, settings), binNs);
    }

    /** A meter for instances each with its own GPUs and model (a heterogeneous cluster). */
    public EnergyMeter(java.util.List<PowerSettings> perInstance, long binNs) {
        int instances = perInstance.size();
        this.settings = perInstance.toArray(new PowerSettings[0]);
        this.work = new StepWork[instances];
        this.gpu = new GpuPowerModel[instances];
        for (int i = 0; i < instances; i++) {
            PowerSettings s = settings[i];
            if (!s.enabled()) {
                throw new IllegalArgumentException("power accounting is off: " + s.note());
            }
            work[i] = new StepWork(s.model());
            gpu[i] = new GpuPowerModel(s.gpu(), s.gpusPerInstance());
        }
        this.folded = new double[instances];
        this.start = new long[instances];
        this.duration = new long[instances];
        this.watts = new double[instances];
        this.steps = new long[instances];
        this.timelines = binNs > 0 ? new PowerTimeline[instances] : null;
        if (timelines != null) {
            for (int i = 0; i < instances; i++) {
                timelines[i] = new PowerTimeline(binNs);
            }
        }
    }

    @Override
    public void onStep(int instance, long startNs, long durationNs, BatchShape batch) {
        fold(instance);
        StepWork w = work[instance];
        w.measure(batch);
        start[instance] = startNs;
        duration[instance] = durationNs;
        watts[instance] = gpu[instance].dynamicWatts(w.flops(), w.bytes(), durationNs);
        steps[instance]++;
    }

    private void fold(int i) {
        if (duration[i] > 0) {
            folded[i] += watts[i] * duration[i] / 1e9;
            if (timelines != null) {
                timelines[i].add(start[i], start[i] + duration[i], watts[i]);
            }
            duration[i] = 0;
        }
    }

    /** Folds every instance's last step in; call once the run is over. */
    public void finish() {
        for (int i = 0; i < folded.length; i++) {
            fold(i);
        }
    }

    public int instances() { return folded.length; }

    /** The power settings of instance {@code i} (its GPUs, their count, its model). */
    public PowerSettings settings(int i) { return settings[i]; }

    /** GPU joules above idle of instance {@code i} drawn before {@code timeNs} (any time up to now). */
    public double dynamicJoulesUpTo(int i, long timeNs) {
        long into = Math.max(0, Math.min(timeNs - start[i], duration[i]));
        return folded[i] + watts[i] * into / 1e9;
    }

    /** GPU joules above idle of all instances; after {@link #finish()}. */
    public double dynamicJoules() {
        double sum = 0;
        for (double j : folded) {
            sum += j;
        }
        return sum;
    }

    public long steps(int i) { return steps[i]; }

    /** The time-binned dynamic energy of instance {@code i}; null when the meter was built without bins. */
    public PowerTimeline timeline(int i) {
        return timelines == null ? null : timelines[i];
    }
}
