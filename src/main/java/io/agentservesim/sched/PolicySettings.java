package io.agentservesim.sched;

/**
 * Each policy's own settings section ({@code kv.settings.<policy>} for retention, {@code
 * scheduling.settings.<policy>} for scheduling), bound to the policy's settings record and checked by it, as
 * Caffeine's simulator gives each policy its own settings class. A policy asks for its section with its
 * defaults; keys the user gives replace those defaults, an unknown key or a value the record refuses is an
 * input error naming the field.
 */
public interface PolicySettings {
    /** {@code defaults} with the keys of section {@code policyName} laid over it. */
    <T extends Record> T of(String policyName, T defaults);

    /** No sections: every policy runs with its defaults (tests, programmatic use). */
    PolicySettings DEFAULTS = new PolicySettings() {
        @Override
        public <T extends Record> T of(String policyName, T defaults) {
            return defaults;
        }
    };
}
