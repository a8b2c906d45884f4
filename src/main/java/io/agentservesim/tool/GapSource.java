package io.agentservesim.tool;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where tool gaps come from: the trace's own delays, or draws from each tool's gap distribution. */
public enum GapSource {
    @JsonProperty("trace") TRACE,
    @JsonProperty("drawn") DRAWN
}
