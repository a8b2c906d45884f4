package io.agentservesim.report;

import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunListener;
import io.agentservesim.results.TurnRecord;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.nio.file.Path;

/**
 * Renders the turns of a flat request run as LLMServingSim's {@code sim.csv} (our requests.csv), for its
 * users and tools: the first twelve columns are its own (times in ns, ITL a quoted list of inter-token
 * latencies, "[]" unless per-token latencies were asked for: they are most of the file), then our {@code preemptions} and
 * {@code prefix_hit_tokens}. Rows in completion order, as LLMServingSim writes them; the request id is
 * the request's index in the workload (its one-turn program's id).
 */
public final class SimCsv implements RunListener, AutoCloseable {
    public static final String HEADER = "instance id,request id,model,input,output,arrival,end_time,latency,"
            + "queuing_delay,TTFT,TPOT,ITL,preemptions,prefix_hit_tokens";

    private final TableWriter out;
    private final String model;
    private final boolean perToken;

    /** {@code perToken}: write each request's inter-token latencies into the ITL column (else "[]"). */
    public SimCsv(Path file, String model, boolean perToken) {
        this.out = new TableWriter(file, HEADER);
        this.model = model.contains(",") ? '"' + model + '"' : model;
        this.perToken = perToken;
    }

    @Override
    public void onTurn(TurnRecord t) {
        StringBuilder b = out.start();
        b.append(t.instance()).append(',').append(t.programId()).append(',').append(model).append(',')
                .append(t.promptTokens()).append(',').append(t.outputTokens()).append(',')
                .append(t.arrivalNs()).append(',').append(t.endNs()).append(',')
                .append(t.e2eNs()).append(',').append(t.queueingNs()).append(',')
                .append(t.ttftNs()).append(',').append(t.tpotNs()).append(',');
        LongArrayList times = perToken ? t.tokenTimes() : null;
        b.append("\"[");
        if (times != null) {
            long prev = t.firstTokenNs();
            for (int i = 0, n = times.size(); i < n; i++) {
                long at = times.getLong(i);
                if (i > 0) {
                    b.append(", ");
                }
                b.append(at - prev);
                prev = at;
            }
        }
        b.append("]\",").append(t.preemptions()).append(',').append(t.hitTokens());
        out.end();
    }

    @Override
    public void onProgram(ProgramRecord program) {
    }

    @Override
    public void close() {
        out.close();
    }
}
