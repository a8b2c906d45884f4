package io.agentservesim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentservesim.metrics.SloTargets;
import io.agentservesim.results.ProgramRecord;
import io.agentservesim.results.RunCounters;
import io.agentservesim.results.RunSummary;
import io.agentservesim.results.TurnLatency;
import io.agentservesim.results.TurnRecord;
import io.agentservesim.router.RouterCounters;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** summary.json of three hand-made turns in two programs, every number worked out by hand in the comments. */
class SummaryJsonTest {
    private static final long MS = 1_000_000L;

    private static TurnRecord turn(int program, int index, long arrivalMs, int out, long ttftMs, long e2eMs,
                                   LongArrayList tokenTimes) {
        long first = (arrivalMs + ttftMs) * MS;
        long last = (arrivalMs + e2eMs) * MS;
        return new TurnRecord(program, index, 0, arrivalMs * MS, 100, out, ttftMs * MS,
                TurnLatency.roundedTpotNs(first, last, out), TurnLatency.hasTpot(out), e2eMs * MS, 0, 0, 0, 0, 0, 0, 0,
                ttftMs * MS, 0, 0, 0, 0, 0, 0, null, -1, tokenTimes);
    }

    private static RunSummary twoPrograms(boolean tokenTimes) {
        return twoPrograms(tokenTimes, SloTargets.NONE);
    }

    private static RunSummary twoPrograms(boolean tokenTimes, SloTargets slo) {
        RunSummary s = new RunSummary(slo);
        // Program 0: turn A at 0 s (TTFT 100 ms, E2E 300 ms, 3 tokens: TPOT (300 - 100) / 2 = 100 ms), then
        // turn B at 1 s (TTFT 200 ms, one token: no TPOT); it ends at 1.2 s.
        LongArrayList a = tokenTimes ? LongArrayList.of(150 * MS, 300 * MS) : null;
        s.onTurn(turn(0, 0, 0, 3, 100, 300, a));
        s.onTurn(turn(0, 1, 1000, 1, 200, 200, tokenTimes ? new LongArrayList() : null));
        s.onProgram(new ProgramRecord(0, "p0", 0, 1200 * MS, 2, false));
        // Program 1: turn C at 2 s, TTFT 300 ms, E2E 1300 ms, 11 tokens: TPOT 1000 / 10 = 100 ms; ends at 3.3 s.
        s.onTurn(turn(1, 0, 2000, 11, 300, 1300, null));
        s.onProgram(new ProgramRecord(1, "p1", 2000 * MS, 3300 * MS, 1, false));
        s.finish(new RunCounters(new RouterCounters(), 0, 0, 0, 0, 0, 42, 3300 * MS, 0, "m", "src", 2, 4), 0, null);
        return s;
    }

    @Test
    void vllmBenchKeysAndOurSectionsReadTheSameHandComputedNumbers() {
        ObjectNode j = SummaryJson.tree(twoPrograms(false));
        // makespan 0 .. 3.3 s; 3 turns of 100 prompt tokens; output tokens 3 + 1 + 11 = 15
        assertThat(j.path("duration").asDouble()).isEqualTo(3.3);
        assertThat(j.path("completed").asInt()).isEqualTo(3);
        assertThat(j.path("total_output_tokens").asLong()).isEqualTo(15);
        assertThat(j.path("total_input_tokens").asLong()).isEqualTo(300);
        assertThat(j.path("request_throughput").asDouble()).isCloseTo(3 / 3.3, within(1e-4));
        assertThat(j.path("output_throughput").asDouble()).isCloseTo(15 / 3.3, within(1e-4));
        // no SLO targets: vLLM writes request_goodput as null without --goodput
        assertThat(j.has("request_goodput")).isTrue();
        assertThat(j.path("request_goodput").isNull()).isTrue();
        assertThat(j.path("total_token_throughput").asDouble()).isCloseTo(315 / 3.3, within(1e-4));
        // TTFT 100, 200, 300 ms: mean and median 200, population std sqrt((100^2 + 0 + 100^2) / 3) = 81.65
        assertThat(j.path("mean_ttft_ms").asDouble()).isEqualTo(200.0);
        assertThat(j.path("median_ttft_ms").asDouble()).isCloseTo(200.0, within(0.2));
        assertThat(j.path("std_ttft_ms").asDouble()).isCloseTo(81.6497, within(1e-3));
        assertThat(j.path("p99_ttft_ms").asDouble()).isCloseTo(300.0, within(0.3));
        // TPOT over the two multi-token turns: 100 and 100 ms, std 0
        assertThat(j.path("mean_tpot_ms").asDouble()).isEqualTo(100.0);
        assertThat(j.path("std_tpot_ms").asDouble()).isEqualTo(0.0);
        // no token times: mean ITL = (200 + 1000) ms over (2 + 10) gaps = 100 ms, and no ITL percentiles
        assertThat(j.path("mean_itl_ms").asDouble()).isEqualTo(100.0);
        assertThat(j.has("p99_itl_ms")).isFalse();
        assertThat(j.path("mean_e2el_ms").asDouble()).isEqualTo(600.0);
        // our sections: the same numbers
        assertThat(j.path("turns").path("ttft_ms").path("mean").asDouble()).isEqualTo(200.0);
        assertThat(j.path("turns").path("ttft_ms").path("max").asDouble()).isCloseTo(300.0, within(0.3));
        assertThat(j.path("programs").path("count").asInt()).isEqualTo(2);
        // JCT 1.2 and 1.3 s
        assertThat(j.path("programs").path("jct_s").path("mean").asDouble()).isEqualTo(1.25);
        assertThat(j.path("throughput").path("makespan_s").asDouble()).isEqualTo(3.3);
        // 4 GPUs for 3.3 s
        assertThat(j.path("engine").path("gpu_hours").asDouble()).isCloseTo(4 * 3.3 / 3600, within(1e-4));
        assertThat(j.path("engine").path("steps").asLong()).isEqualTo(42);
    }

    @Test
    void goodputIsTheTurnsWithinTheTargetsPerSecond() {
        // TTFT target 250 ms: turns A (100 ms) and B (200 ms) meet it, C (300 ms) does not; 2 / 3.3 s
        ObjectNode j = SummaryJson.tree(twoPrograms(false, new SloTargets(250 * MS, -1, -1)));
        assertThat(j.path("request_goodput").asDouble()).isCloseTo(2 / 3.3, within(1e-4));
        // TPOT target 99 ms as well: A and C (100 ms) miss it, B has no TPOT and meets it (vLLM's rule): 1 / 3.3 s
        j = SummaryJson.tree(twoPrograms(false, new SloTargets(250 * MS, 99 * MS, -1)));
        assertThat(j.path("request_goodput").asDouble()).isCloseTo(1 / 3.3, within(1e-4));
    }

    @Test
    void recordedTokenTimesGiveTheItlDistribution() {
        ObjectNode j = SummaryJson.tree(twoPrograms(true));
        // turn A's first token at 100 ms, then 150 and 300 ms: gaps 50 and 150 ms (turn C recorded none)
        assertThat(j.path("mean_itl_ms").asDouble()).isEqualTo(100.0);
        assertThat(j.path("std_itl_ms").asDouble()).isCloseTo(50.0, within(1e-6));
        assertThat(j.path("p99_itl_ms").asDouble()).isCloseTo(150.0, within(0.2));
        assertThat(j.path("turns").path("itl_ms").path("count").asInt()).isEqualTo(2);
    }

    @Test
    void tpotIsTheDecodeSpanOverTheTokensAfterTheFirst() {
        assertThat(TurnLatency.tpotNs(100, 400, 4)).isEqualTo(100.0);
        assertThat(TurnLatency.roundedTpotNs(0, 10, 4)).isEqualTo(3);
        assertThat(TurnLatency.hasTpot(1)).isFalse();
        assertThat(TurnLatency.tpotNs(100, 100, 1)).isZero();
    }
}
