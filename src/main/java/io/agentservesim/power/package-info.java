/**
 * Power and energy of a simulated deployment: the work (FLOPs, bytes) of each engine step, the GPU
 * power that work draws, energy binned over simulated time, host CPU, DRAM and link energy, and the
 * energy report in summary.json. Everything is accounted once per engine step (a {@code StepObserver}),
 * never per token.
 */
package io.agentservesim.power;
