package io.agentservesim.config;

import io.agentservesim.error.InputException;

import java.nio.file.Path;

/**
 * What the simulation does with a turn no instance could ever run (longer than max_model_len, or needing more
 * KV blocks than an instance's whole pool): stop with an input error, as a flat trace always does, or count it
 * as rejected, as vLLM's API server answers it with HTTP 400.
 */
public enum UnservableTurns {
    ERROR, REJECT;

    /** The setting {@code field} of {@code file}: error (also when absent) or reject. */
    static UnservableTurns parse(Path file, String field, String value) {
        if (value == null || value.equals("error")) {
            return ERROR;
        }
        if (value.equals("reject")) {
            return REJECT;
        }
        throw InputException.at(file, field + ": expected error or reject, got '" + value + "'");
    }
}
