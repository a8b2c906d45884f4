package io.agentservesim.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.program.Program;
import io.agentservesim.program.TokenIds;
import io.agentservesim.program.Turn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolSimulatorTest {
    private static final GapDistribution LOGNORMAL = GapDistribution.lognormal(1.0, 2.0);

    /** A chain of n turns, each prompt = previous prompt + output (2) + tool output (3), with ids. */
    static Program chain(int n, long gapNs, String tool) {
        int[] backing = new int[10 + 5 * n];
        for (int i = 0; i < backing.length; i++) {
            backing[i] = i;
        }
        List<Turn> turns = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int in = 10 + 5 * k;
            TokenIds prompt = TokenIds.prefixOf(backing, in);
            TokenIds out = TokenIds.of(new int[] {backing[in], backing[in + 1]});
            turns.add(k == 0 ? Turn.root(0, in, 2, prompt, out, tool)
                    : Turn.chained(k, in, 2, prompt, out, tool, k - 1, gapNs));
        }
        return new Program(0, "c", 0, turns);
    }

    @Test
    void passThroughKeepsTraceGaps() {
        Program p = chain(3, 7_000, "bash");
        assertThat(new ToolSimulator(ToolSimulatorSpec.passThrough()).apply(p)).isEqualTo(p);
    }

    @Test
    void tailAmplificationMultipliesOnlyGapsAboveThePercentile() {
        var spec = new ToolSimulatorSpec(GapSource.TRACE, 1, new TailAmplification(0.9, 10), 3, 0, 32000,
                ToolProfile.of(LOGNORMAL, null), Map.of());
        ToolSimulator sim = new ToolSimulator(spec);
        long threshold = Math.round(LOGNORMAL.quantileSeconds(0.9) * 1e9);
        assertThat(sim.tailThresholdNs("bash")).isEqualTo(threshold);
        assertThat(sim.traceGapNs("bash", threshold - 1)).isEqualTo(threshold - 1);
        assertThat(sim.traceGapNs("bash", threshold)).isEqualTo(threshold);
        assertThat(sim.traceGapNs("bash", threshold + 1)).isEqualTo(10 * (threshold + 1));
        // with a gap scale the threshold applies before scaling
        ToolSimulator scaled = new ToolSimulator(spec.withGapScale(2));
        assertThat(scaled.traceGapNs("bash", threshold)).isEqualTo(2 * threshold);
        assertThat(scaled.traceGapNs("bash", threshold + 1)).isEqualTo(20 * (threshold + 1));
    }

    @Test
    void drawnTailAmplificationLeavesTheBodyOfTheDistributionAlone() {
        var spec = ToolSimulatorSpec.drawn(ToolProfile.of(LOGNORMAL, null), Map.of(), 5);
        ToolSimulator plain = new ToolSimulator(spec);
        ToolSimulator amplified = new ToolSimulator(spec.withTail(new TailAmplification(0.95, 3)));
        long threshold = amplified.tailThresholdNs("x");
        int above = 0;
        for (int i = 0; i < 20_000; i++) {
            long raw = plain.drawGapNs("x");
            long amp = amplified.drawGapNs("x");
            if (raw > threshold) {
                above++;
                assertThat(amp).isEqualTo(3 * raw);
            } else {
                assertThat(amp).isEqualTo(raw);
            }
        }
        assertThat(above / 20_000.0).isBetween(0.04, 0.06);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.2})
    void failuresProduceRetryTurnsAtTheConfiguredRate(double p) {
        var profile = ToolProfile.of(GapDistribution.fixed(0.5), null).withFailures(p, 0);
        var spec = new ToolSimulatorSpec(GapSource.DRAWN, 1, null, 0, 11, 32000, profile, Map.of());
        ToolSimulator sim = new ToolSimulator(spec.validate(null, ""));
        // max_retries 0: a failure is counted but not retried; use max_retries 1 to count calls exactly
        ToolSimulator retrying = new ToolSimulator(new ToolSimulatorSpec(GapSource.DRAWN, 1, null, 1, 11, 32000,
                profile, Map.of()));
        int calls = 0;
        int retries = 0;
        for (int i = 0; i < 2_000; i++) {
            Program out = retrying.apply(chain(6, 0, "bash"));
            calls += 5;
            retries += (int) out.turns().stream().filter(Turn::isRetry).count();
        }
        double rate = retries / (double) calls;
        double sd = Math.sqrt(p * (1 - p) / calls);
        assertThat(rate).isBetween(p - 4 * sd, p + 4 * sd);
        assertThat(sim.apply(chain(6, 0, "bash")).turnCount()).isEqualTo(6);
    }

    @Test
    void aRetryTurnSeesTheSameContextPlusErrorTokensAndShiftsLaterTurns() {
        var profile = new ToolProfile(GapDistribution.fixed(0.5), null, 1.0, 0, 4);
        var spec = new ToolSimulatorSpec(GapSource.DRAWN, 1, null, 1, 3, 32000, profile, Map.of());
        Program original = chain(2, 0, "bash");
        Program out = new ToolSimulator(spec).apply(original);

        // turn 0 fails (p = 1) once, one retry, then the program goes on with the error
        assertThat(out.turnCount()).isEqualTo(3);
        Turn first = out.turn(0);
        Turn retry = out.turn(1);
        Turn next = out.turn(2);
        assertThat(retry.retryOf()).isZero();
        assertThat(retry.parents()).containsExactly(0);
        assertThat(retry.parentDelayNs()).containsExactly(500_000_000L);
        assertThat(retry.inputTokens()).isEqualTo(10 + 2 + 4);
        assertThat(retry.outputTokens()).isEqualTo(2);
        assertThat(retry.promptTokenIds().startsWith(first.promptTokenIds())).isTrue();
        assertThat(next.parents()).containsExactly(1);
        assertThat(next.inputTokens()).isEqualTo(15 + 4 + 2);
        assertThat(next.promptTokenIds().startsWith(retry.promptTokenIds())).isTrue();
        assertThat(next.promptTokenIds().get(20)).isEqualTo(original.turn(1).promptTokenIds().get(14));
    }

    @Test
    void timeoutCutsTheGapAndRetries() {
        var profile = new ToolProfile(GapDistribution.fixed(5), null, 0, 2, 8);
        var spec = new ToolSimulatorSpec(GapSource.DRAWN, 1, null, 2, 0, 32000, profile, Map.of());
        Program out = new ToolSimulator(spec).apply(chain(2, 0, "t"));
        assertThat(out.turnCount()).isEqualTo(4); // two retries, all time out
        assertThat(out.turn(1).parentDelayNs()).containsExactly(2_000_000_000L);
        assertThat(out.turn(3).parentDelayNs()).containsExactly(2_000_000_000L);
    }

    @Test
    void sameSeedSameResultDifferentSeedDifferent() {
        var spec = ToolSimulatorSpec.drawn(ToolProfile.of(LOGNORMAL, null).withFailures(0.3, 0), Map.of(), 1);
        Program p = chain(10, 0, "bash");
        assertThat(new ToolSimulator(spec).apply(p)).isEqualTo(new ToolSimulator(spec).apply(p));
        assertThat(new ToolSimulator(spec.withSeed(2)).apply(p)).isNotEqualTo(new ToolSimulator(spec).apply(p));
    }

    @Test
    void yamlSpecIsStrictAndNamesTheField() {
        ToolSimulatorSpec spec = StrictYaml.parse("""
                gaps: drawn
                tail: {percentile: 0.99, factor: 4}
                tools:
                  bash: {gap: {type: lognormal, mean_s: 0.87, sd_s: 4.1}, failure_probability: 0.1, timeout_s: 30}
                """, ToolSimulatorSpec.class, Path.of("t.yaml")).validate(Path.of("t.yaml"), "tools");
        assertThat(spec.profile("bash").timeoutSeconds()).isEqualTo(30);
        assertThat(spec.maxRetries()).isEqualTo(3);
        assertThatThrownBy(() -> StrictYaml.parse("tools: {bash: {failure_probability: 2}}", ToolSimulatorSpec.class,
                Path.of("t.yaml")).validate(Path.of("t.yaml"), "programs.tools"))
                .isInstanceOf(InputException.class)
                .hasMessage("t.yaml: programs.tools.tools.bash.failure_probability: expected a probability in [0, 1], got 2.0");
        assertThatThrownBy(() -> StrictYaml.parse("tools: {bash: {gap: {type: weibull}}}", ToolSimulatorSpec.class,
                Path.of("t.yaml"))).isInstanceOf(InputException.class).hasMessageContaining("unknown type 'weibull'");
    }
}
