/**
 * Quick steady-state estimates of one engine under a closed loop of identical requests (what NVIDIA
 * AIConfigurator and vLLM's {@code benchmark_serving --max-concurrency} answer): {@link ClosedLoopEstimate}.
 */
package io.agentservesim.estimate;
