package io.agentservesim.program.synthetic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.agentservesim.tool.GapDistribution;
import io.agentservesim.tool.ToolProfile;
import io.agentservesim.tool.ToolSimulatorSpec;
import io.agentservesim.workload.LengthDistribution;
import java.util.Map;

/**
 * Ready-made agent shapes. The numbers and what they rest on:
 *
 * <ul>
 * <li>{@code swe-bench} (coding agent): 20-60 turns; first prompt ~6k tokens (system prompt + issue,
 *     the order of tau2's 5.2-5.3k tool-calling system prompt in data/exgentic-agent-traces);
 *     outputs ~250 tokens (100-400: short tool calls); tool outputs heavy-tailed, mean 600 / sd 900
 *     tokens (file views and test logs run longer than tau2's mean 314 / median 138, so later turns
 *     reach tens of thousands of tokens); tool gaps log-normal, mean 0.87 s, sd 4.1 s, as measured on
 *     SWE-bench leaderboard trajectories. Tool names bash / view / edit (SWE-agent's tool families;
 *     the weights are an assumption, one gap distribution for all).</li>
 * <li>{@code bfcl} (function calling, BFCL multi-turn style): 1-4 turns; first prompt ~1.5k tokens
 *     (function docs + question; assumption, smaller than tau2's full policy prompt); outputs mean
 *     160 / sd 80 and tool outputs mean 314 / sd 459 tokens, both from the tau2 retail agent calls in
 *     data/exgentic-agent-traces (92 calls: completions 22-414, context growth per turn); tool gaps
 *     log-normal mean 0.2 s / sd 0.3 s (in-process API calls like tau2's DB tools; assumption).
 *     Tool names from tau2's most frequent calls.</li>
 * <li>{@code chat} (multi-turn chat): 2-8 turns; first prompt mean 300 / sd 400, outputs mean 350 /
 *     sd 300 tokens (ShareGPT-like; assumption); the "tool" is the human: next user message mean 80 /
 *     sd 100 tokens after a think time log-normal mean 20 s / sd 20 s.</li>
 * <li>{@code react} (ReAct tool agent on ToolBench-like tasks, AgentServe's workload, arXiv 2603.10342 as issue 17
 *     summarises it): 3-8 turns (thought + action, ToolBench's solvable tasks take a few API calls); first prompt
 *     2,000-5,000 tokens (system prompt with the tools' documentation + the query); outputs 20-80 tokens (a
 *     thought and one JSON action); tool outputs 100-600 tokens (truncated REST responses); tool gaps
 *     log-normal mean 0.8 s / sd 0.6 s (RapidAPI round trips; assumption). All uniform where only a range is
 *     known.</li>
 * <li>{@code plan-execute} (Plan-and-Execute on the same tasks): 4-10 turns (a plan, one turn per step, an
 *     answer); first prompt 3,000-6,000 tokens (planner and executor instructions + tools); outputs log-normal
 *     mean 60 / sd 40 tokens within 20-300 (the plan is a long tail turn: a program kind has one output
 *     distribution here, so the plan is not pinned to the first turn); tool outputs and gaps as react.</li>
 * </ul>
 */
public enum AgentPreset {
    @JsonProperty("swe-bench") SWE_BENCH("swe-bench"),
    @JsonProperty("bfcl") BFCL("bfcl"),
    @JsonProperty("chat") CHAT("chat"),
    @JsonProperty("react") REACT("react"),
    @JsonProperty("plan-execute") PLAN_EXECUTE("plan-execute");

    /** SWE-bench leaderboard trajectories: mean and sd of the tool gap in seconds. */
    public static final double SWE_BENCH_GAP_MEAN_S = 0.87;
    public static final double SWE_BENCH_GAP_SD_S = 4.1;

    /** ToolBench-like REST tools (search, detail lookups, computations): names for outputs, one profile. */
    private static final Map<String, Double> TOOLBENCH_MIX = Map.of("search", 0.4, "get_details", 0.4, "calculate", 0.2);

    private static ToolSimulatorSpec toolBenchTools() {
        return ToolSimulatorSpec.drawn(ToolProfile.of(GapDistribution.lognormal(0.8, 0.6),
                LengthDistribution.uniform(100, 600)), Map.of(), 0);
    }

    private final String key;

    AgentPreset(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** This preset's shape; a spec's overrides replace parts of it. */
    public ProgramShape shape() {
        return switch (this) {
            case SWE_BENCH -> new ProgramShape(
                    LengthDistribution.uniform(20, 60),
                    LengthDistribution.lognormal(6000, 2000, 2000, 20000),
                    LengthDistribution.lognormal(250, 100, 100, 1024),
                    Map.of("bash", 0.5, "view", 0.3, "edit", 0.2),
                    ToolSimulatorSpec.drawn(ToolProfile.of(
                            GapDistribution.lognormal(SWE_BENCH_GAP_MEAN_S, SWE_BENCH_GAP_SD_S),
                            LengthDistribution.lognormal(600, 900, 1, 8192)), Map.of(), 0));
            case BFCL -> new ProgramShape(
                    LengthDistribution.uniform(1, 4),
                    LengthDistribution.lognormal(1500, 800, 200, 8000),
                    LengthDistribution.lognormal(160, 80, 16, 1024),
                    Map.of("get_order_details", 0.5, "get_user_details", 0.2, "find_user_id_by_name_zip", 0.2,
                            "get_product_details", 0.1),
                    ToolSimulatorSpec.drawn(ToolProfile.of(GapDistribution.lognormal(0.2, 0.3),
                            LengthDistribution.lognormal(314, 459, 1, 8192)), Map.of(), 0));
            case CHAT -> new ProgramShape(
                    LengthDistribution.uniform(2, 8),
                    LengthDistribution.lognormal(300, 400, 8, 8192),
                    LengthDistribution.lognormal(350, 300, 8, 4096),
                    Map.of("user", 1.0),
                    ToolSimulatorSpec.drawn(null, Map.of("user", ToolProfile.of(GapDistribution.lognormal(20, 20),
                            LengthDistribution.lognormal(80, 100, 1, 4096))), 0));
            case REACT -> new ProgramShape(
                    LengthDistribution.uniform(3, 8),
                    LengthDistribution.uniform(2000, 5000),
                    LengthDistribution.uniform(20, 80),
                    TOOLBENCH_MIX, toolBenchTools());
            case PLAN_EXECUTE -> new ProgramShape(
                    LengthDistribution.uniform(4, 10),
                    LengthDistribution.uniform(3000, 6000),
                    LengthDistribution.lognormal(60, 40, 20, 300),
                    TOOLBENCH_MIX, toolBenchTools());
        };
    }
}
