/**
 * One GPU split into SM partitions that run at the same time (CUDA green contexts): the step time of a batch
 * on a share of the SMs ({@link SmShareStepTimeModel}).
 */
package io.agentservesim.perf.partition;
