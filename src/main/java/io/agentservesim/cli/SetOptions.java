package io.agentservesim.cli;

import io.agentservesim.config.ConfigOverrides;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --set key.path=value} option of every command that reads a simulation config (a picocli mixin). */
final class SetOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one config key before validation, e.g. --set engine.max_num_seqs=64"
                    + " --set kv.retention=fixed-ttl (repeatable; the value is read as YAML)")
    List<String> sets = new ArrayList<>();

    ConfigOverrides overrides() {
        return ConfigOverrides.parse(sets);
    }
}
