package io.agentservesim.program;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * Several program sources as one stream in arrival order (ties: the earlier-listed source first), for
 * workloads that mix kinds of agents. Holds one pending program per source.
 */
public final class MergedProgramSource implements ProgramSource {
    private final List<ProgramSource> sources;
    private final Program[] heads;

    public MergedProgramSource(List<ProgramSource> sources) {
        this.sources = List.copyOf(sources);
        this.heads = new Program[sources.size()];
        for (int i = 0; i < heads.length; i++) {
            heads[i] = this.sources.get(i).hasNext() ? this.sources.get(i).next() : null;
        }
    }

    /** The sum of the sources' counts; -1 when any one does not know its own. */
    @Override
    public long expectedPrograms() {
        long n = 0;
        for (ProgramSource s : sources) {
            long k = s.expectedPrograms();
            if (k < 0) {
                return -1;
            }
            n += k;
        }
        return n;
    }

    @Override
    public boolean hasNext() {
        for (Program p : heads) {
            if (p != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Program next() {
        int best = -1;
        for (int i = 0; i < heads.length; i++) {
            if (heads[i] != null && (best < 0 || heads[i].arrivalNs() < heads[best].arrivalNs())) {
                best = i;
            }
        }
        if (best < 0) {
            throw new NoSuchElementException("all merged program sources are exhausted");
        }
        Program p = heads[best];
        ProgramSource s = sources.get(best);
        heads[best] = s.hasNext() ? s.next() : null;
        return p;
    }

    @Override
    public void close() {
        for (ProgramSource s : sources) {
            s.close();
        }
    }
}
