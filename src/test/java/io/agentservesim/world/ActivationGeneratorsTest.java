package io.agentservesim.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentservesim.tool.StrictYaml;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two generators' activations against their own hints: plan-driven hints are exact (ScaleSim's
 * PlanManager formula) unless an interrupt comes first; space-driven hints (its SpaceManager formula) are the
 * remaining cooldown while it runs and an upper bound on the wait once it is over.
 */
class ActivationGeneratorsTest {
    private static WorldSpec spec(String yaml) {
        ObjectNode node = (ObjectNode) StrictYaml.MAPPER.readTree(yaml);
        return StrictYaml.bind(node, WorldSpec.class, null, "world.synthetic").validate(null, "world.synthetic");
    }

    private static List<WorldStep> run(WorldSource w) {
        AgentContexts ctx = new AgentContexts(w, 32000, 5, false);
        List<WorldStep> out = new ArrayList<>();
        while (w.hasNext()) {
            WorldStep s = w.next(ctx);
            for (int i = 0; i < s.calls(); i++) {
                ctx.append(s.agents()[i], s.outputTokens()[i]);
            }
            out.add(s);
        }
        return out;
    }

    private static boolean calls(WorldStep s, int agent) {
        for (int a : s.agents()) {
            if (a == agent) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aFixedPlanOfThreeTicksGivesHintsTwoOneZeroAsThePlanManagerFormulaSays() {
        // One tick per step, every action 3 ticks: an agent that calls at step s calls again at s + 3. At the end of
        // step s + 1 it has d = 2 ticks left, max(0, d - 1) // 1 = 1 ... published at the start of s + 2 as 1.
        List<WorldStep> steps = run(new PlanDrivenWorld(spec(
                "{agents: 5, steps: 12, seed: 1, activation: plan, plan: {action_ticks: {type: fixed, tokens: 3}}}")));
        for (int a = 0; a < 5; a++) {
            int first = -1;
            for (WorldStep s : steps) {
                if (calls(s, a)) {
                    first = s.step();
                    break;
                }
            }
            assertThat(first).as("agent %d calls within its first action", a).isBetween(0, 2);
            for (WorldStep s : steps) {
                int phase = (s.step() - first) % 3;
                if (s.step() >= first) {
                    assertThat(calls(s, a)).isEqualTo(phase == 0);
                    assertThat(s.hints().distance(a)).isEqualTo(phase == 0 ? 0 : 3 - phase);
                }
            }
        }
    }

    @Test
    void twoTicksPerStepRoundTheRemainingPlanUp() {
        // Actions of 3 ticks at 2 ticks per step take ceil(3/2) = 2 steps: hints alternate 0, 1.
        List<WorldStep> steps = run(new PlanDrivenWorld(spec("{agents: 3, steps: 8, seed: 2, activation: plan,"
                + " plan: {ticks_per_step: 2, action_ticks: {type: fixed, tokens: 3}}}")));
        for (int a = 0; a < 3; a++) {
            for (int s = 1; s < steps.size(); s++) {
                int d = steps.get(s - 1).hints().distance(a);
                if (d == 1) {
                    assertThat(calls(steps.get(s), a)).isTrue();
                }
                if (calls(steps.get(s - 1), a)) {
                    assertThat(steps.get(s).hints().distance(a)).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void planHintsAreExactWithoutInterruptsAndNeverLateWithThem() {
        for (double p : new double[] {0.0, 0.2}) {
            List<WorldStep> steps = run(new PlanDrivenWorld(spec("{agents: 300, steps: 40, seed: 9, activation: plan,"
                    + " plan: {action_ticks: {type: uniform, min: 1, max: 9}, interrupt_prob: " + p + "}}")));
            long calls = 0;
            for (WorldStep s : steps) {
                calls += s.calls();
                for (int a = 0; a < 300; a++) {
                    int d = s.hints().distance(a);
                    assertThat(d).isNotEqualTo(InvocationHints.UNKNOWN);
                    assertThat(d == 0).isEqualTo(calls(s, a));
                    int next = -1;
                    for (int k = s.step() + 1; k < steps.size() && next < 0; k++) {
                        if (calls(steps.get(k), a)) {
                            next = k;
                        }
                    }
                    if (d > 0 && s.step() + d < steps.size()) {
                        if (p == 0) {
                            assertThat(next).as("agent %d at step %d", a, s.step()).isEqualTo(s.step() + d);
                        } else {
                            assertThat(next).isBetween(s.step() + 1, s.step() + d);
                        }
                    }
                }
            }
            double rate = calls / (300.0 * 40);
            // Mean action 5 ticks: about one call per 5 steps; interrupts add calls.
            assertThat(rate).isBetween(p == 0 ? 0.17 : 0.25, p == 0 ? 0.24 : 0.45);
        }
    }

    @Test
    void spaceHintsAreTheCooldownWhileItRunsAndAnUpperBoundAfterIt() {
        List<WorldStep> steps = run(new SpaceDrivenWorld(spec("{agents: 200, steps: 40, seed: 4, activation: space,"
                + " space: {places: 100, speed: 1.0, trip_distance: {type: uniform, min: 2, max: 10}, cooldown_steps: 3}}")));
        int[] last = new int[200];
        java.util.Arrays.fill(last, -1000);
        long calls = 0;
        for (WorldStep s : steps) {
            calls += s.calls();
            for (int a = 0; a < 200; a++) {
                int d = s.hints().distance(a);
                int elapsed = s.step() - last[a];
                if (calls(s, a)) {
                    assertThat(elapsed).as("no call inside the cooldown").isGreaterThanOrEqualTo(3);
                    assertThat(d).isZero();
                    continue;
                }
                int next = -1;
                for (int k = s.step() + 1; k < steps.size() && next < 0; k++) {
                    if (calls(steps.get(k), a)) {
                        next = k;
                    }
                }
                if (elapsed < 3) {
                    assertThat(d).isEqualTo(3 - elapsed);
                    if (next >= 0) {
                        assertThat(next).isGreaterThanOrEqualTo(s.step() + d);
                    }
                } else if (s.step() + d < steps.size()) {
                    assertThat(d).isPositive();
                    assertThat(next).as("agent %d at step %d, hint %d", a, s.step(), d).isBetween(s.step() + 1, s.step() + d);
                }
            }
            for (int a : s.agents()) {
                last[a] = s.step();
            }
        }
        assertThat(calls / (200.0 * 40)).isBetween(0.1, 0.35);
    }

    @Test
    void generatorsAreDeterministicForASeed() {
        String yaml = "{agents: 50, steps: 10, seed: 77, activation: space}";
        List<WorldStep> a = run(new SpaceDrivenWorld(spec(yaml)));
        List<WorldStep> b = run(new SpaceDrivenWorld(spec(yaml)));
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).agents()).containsExactly(b.get(i).agents());
            assertThat(a.get(i).inputTokens()).containsExactly(b.get(i).inputTokens());
        }
    }
}
