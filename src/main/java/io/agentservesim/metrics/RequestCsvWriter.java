package io.agentservesim.metrics;

import io.agentservesim.engine.Request;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Streams one CSV row per finished request. The first twelve columns are LLMServingSim's sim.csv
 * (times in ns, ITL a quoted list of inter-token latencies), so its tools read our output; then our own
 * columns. Rows are written in completion order, as LLMServingSim writes them.
 */
public final class RequestCsvWriter implements AutoCloseable {
    public static final String HEADER = "instance id,request id,model,input,output,arrival,end_time,latency,"
            + "queuing_delay,TTFT,TPOT,ITL,preemptions,prefix_hit_tokens";

    private final BufferedWriter out;
    private final String model;
    private final StringBuilder line = new StringBuilder(256);

    public RequestCsvWriter(Path file, String model) {
        try {
            this.out = Files.newBufferedWriter(file);
            this.model = model.contains(",") ? '"' + model + '"' : model;
            out.write(HEADER);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(int instanceId, Request r, RequestMetrics m) {
        StringBuilder b = line;
        b.setLength(0);
        b.append(instanceId).append(',').append(r.id()).append(',').append(model).append(',')
                .append(r.promptTokens()).append(',').append(r.outputTokens()).append(',')
                .append(r.arrivalNs()).append(',').append(r.lastTokenNs()).append(',')
                .append(m.e2eNs()).append(',').append(m.queueingNs()).append(',')
                .append(m.ttftNs()).append(',').append(m.tpotNs()).append(',');
        LongArrayList times = r.tokenTimes();
        b.append("\"[");
        if (times != null) {
            long prev = r.firstTokenNs();
            for (int i = 0, n = times.size(); i < n; i++) {
                long t = times.getLong(i);
                if (i > 0) {
                    b.append(", ");
                }
                b.append(t - prev);
                prev = t;
            }
        }
        b.append("]\",").append(r.preemptions()).append(',').append(r.prefixHitTokens()).append('\n');
        try {
            out.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
