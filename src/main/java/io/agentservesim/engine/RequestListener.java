package io.agentservesim.engine;

/** Receives each request once it has produced its last token (the engine drops it right after). */
@FunctionalInterface
public interface RequestListener {
    void onFinished(int instanceId, Request request);
}
