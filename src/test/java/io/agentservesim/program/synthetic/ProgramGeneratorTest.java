package io.agentservesim.program.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentservesim.error.InputException;
import io.agentservesim.program.Program;
import io.agentservesim.program.Turn;
import io.agentservesim.tool.StrictYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class ProgramGeneratorTest {

    static List<Program> generate(ProgramWorkloadSpec spec) {
        List<Program> out = new ArrayList<>();
        try (ProgramGenerator g = new ProgramGenerator(spec)) {
            g.forEachRemaining(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(AgentPreset.class)
    void sameSeedGivesIdenticalProgramsAndAnotherSeedDifferentOnes(AgentPreset preset) {
        List<Program> a = generate(ProgramWorkloadSpec.of(preset, 20, 1.0, 7));
        assertThat(generate(ProgramWorkloadSpec.of(preset, 20, 1.0, 7))).isEqualTo(a);
        assertThat(generate(ProgramWorkloadSpec.of(preset, 20, 1.0, 8))).isNotEqualTo(a);
        for (int i = 1; i < a.size(); i++) {
            assertThat(a.get(i).arrivalNs()).isGreaterThanOrEqualTo(a.get(i - 1).arrivalNs());
        }
    }

    @ParameterizedTest
    @EnumSource(AgentPreset.class)
    void contextGrowsAndEachTurnExtendsThePreviousPromptAndOutput(AgentPreset preset) {
        for (Program p : generate(ProgramWorkloadSpec.of(preset, 30, 1.0, 3))) {
            assertThat(p.isChain()).isTrue();
            for (int k = 1; k < p.turnCount(); k++) {
                Turn prev = p.turn(k - 1);
                Turn cur = p.turn(k);
                assertThat(cur.inputTokens()).isGreaterThan(prev.inputTokens() + prev.outputTokens() - 1);
                assertThat(cur.promptTokenIds().startsWith(prev.promptTokenIds())).isTrue();
                for (int j = 0; j < prev.outputTokens(); j++) {
                    assertThat(cur.promptTokenIds().get(prev.inputTokens() + j)).isEqualTo(prev.outputTokenIds().get(j));
                }
            }
        }
    }

    @Test
    void sweBenchHasTensOfTurnsTensOfThousandsOfTokensAndTheMeasuredGaps() {
        List<Program> programs = generate(ProgramWorkloadSpec.of(AgentPreset.SWE_BENCH, 400, 1.0, 1));
        double sum = 0;
        double sumSq = 0;
        long n = 0;
        long lastContext = 0;
        for (Program p : programs) {
            assertThat(p.turnCount()).isBetween(20, 60);
            lastContext += p.turn(p.turnCount() - 1).inputTokens();
            for (Turn t : p.turns()) {
                assertThat(t.outputTokens()).isBetween(100, 1024);
                for (int k = 0; k < t.parentCount(); k++) {
                    double s = t.parentDelayNs(k) / 1e9;
                    sum += s;
                    sumSq += s * s;
                    n++;
                }
            }
        }
        double mean = sum / n;
        double sd = Math.sqrt(sumSq / n - mean * mean);
        assertThat(mean).isBetween(0.87 * 0.9, 0.87 * 1.1);
        assertThat(sd).isBetween(2.5, 6.0); // heavy tail: the sample sd converges slowly
        assertThat(lastContext / programs.size()).isBetween(15_000L, 60_000L);
    }

    @Test
    void yamlPresetWithOverridesAndFieldPathErrors() {
        Path file = Path.of("w.yaml");
        ProgramWorkloadSpec spec = StrictYaml.parse("""
                preset: bfcl
                num_programs: 5
                programs_per_sec: 2
                seed: 9
                turns: {type: fixed, tokens: 3}
                """, ProgramWorkloadSpec.class, file);
        assertThat(generate(spec)).allSatisfy(p -> assertThat(p.turnCount()).isEqualTo(3));
        assertThatThrownBy(() -> StrictYaml.parse("""
                preset: bfcl
                num_programs: 0
                programs_per_sec: 2
                """, ProgramWorkloadSpec.class, file).validate(file, "workload"))
                .isInstanceOf(InputException.class)
                .hasMessage("w.yaml: workload.num_programs: expected an integer >= 1, got 0");
        assertThatThrownBy(() -> StrictYaml.parse("""
                preset: bfcl
                num_programs: 1
                programs_per_sec: 2
                tool_mix: {search: 1}
                tools: {gaps: drawn}
                """, ProgramWorkloadSpec.class, file).validate(file, "workload"))
                .hasMessage("w.yaml: workload.tools.tools.search: expected a gap distribution for tool 'search' (or a default with one)");
        assertThatThrownBy(() -> StrictYaml.parse("""
                preset: devin
                num_programs: 1
                programs_per_sec: 2
                """, ProgramWorkloadSpec.class, file)).isInstanceOf(InputException.class).hasMessageContaining("preset");
    }
}
