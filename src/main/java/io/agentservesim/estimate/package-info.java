/**
 * Estimates of one engine under the client of {@code vllm bench serve --max-concurrency C} (a semaphore of
 * C over a list of requests, request rate inf), the point AIConfigurator and vLLM's benchmark answer:
 * {@link ClosedLoopEstimate} (its client is the package-private {@code SemaphoreClient}).
 */
package io.agentservesim.estimate;
