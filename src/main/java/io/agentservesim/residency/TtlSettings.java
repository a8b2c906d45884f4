package io.agentservesim.residency;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The settings section of a policy whose only knob is a pin's time-to-live ({@code kv.settings.fixed-ttl});
 * the default is the global {@code kv.ttl_s}.
 */
public record TtlSettings(@JsonProperty("ttl_s") double ttlS) {
    public TtlSettings {
        if (!(ttlS > 0) || Double.isInfinite(ttlS)) {
            throw new IllegalArgumentException("ttl_s: expected a number of seconds > 0, got " + ttlS);
        }
    }

    static TtlSettings ofNs(long ttlNs) {
        return new TtlSettings(ttlNs / 1e9);
    }

    long ttlNs() {
        return Math.round(ttlS * 1e9);
    }
}
