package io.agentservesim.program;

import io.agentservesim.workload.RequestSource;
import io.agentservesim.workload.RequestSpec;

/**
 * A flat request workload as a stream of one-turn programs, so flat runs take the one run path of the
 * cluster (LLMServingSim's agentic reader turns a line without {@code sub_requests} into such a program
 * the same way). Program id = the request's index; no name, no tool; the prompt's ids when the trace has
 * them. Streams: holds one request at a time.
 */
public final class FlatRequestPrograms implements ProgramSource {
    private final RequestSource requests;

    public FlatRequestPrograms(RequestSource requests) {
        this.requests = requests;
    }

    @Override
    public long expectedPrograms() {
        return requests.expectedRequests();
    }

    @Override
    public boolean hasNext() {
        return requests.hasNext();
    }

    @Override
    public Program next() {
        RequestSpec r = requests.next();
        TokenIds ids = r.inputTokenIds() == null ? null : TokenIds.of(r.inputTokenIds());
        return new Program(r.id(), null, r.arrivalNs(),
                java.util.List.of(Turn.root(0, r.inputTokens(), r.outputTokens(), ids, null, null)));
    }

    @Override
    public void close() {
        requests.close();
    }
}
