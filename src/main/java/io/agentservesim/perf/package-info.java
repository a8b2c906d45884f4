/**
 * Step-time models: how long one engine step (one forward pass of a batch) takes. The
 * {@link io.agentservesim.perf.ProfileStepTimeModel} reads LLMServingSim profile bundles
 * ({@code data/llmservingsim/perf/<HW>/<org>/<model>/<variant>/}) unchanged through
 * {@link io.agentservesim.perf.ProfileBundle} and combines the dense, attention, MoE and per-sequence
 * tables the way LLMServingSim's trace generator does.
 */
package io.agentservesim.perf;
