package io.agentservesim.residency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The registry: every name builds its policy; an unknown name fails with the valid ones. */
class RetentionPoliciesTest {
    @Test
    void listsEveryPolicy() {
        assertThat(RetentionPolicies.names())
                .containsExactly("stock-lru", "evict-always", "fixed-ttl", "continuum", "infercept", "saga", "saga-tool-ttl", "offload", "offload-on-arrival", "offload-prefetch",
                        "invocation-distance", "gate");
    }

    @Test
    void eachNameBuildsThePolicyOfThatName() {
        for (String name : RetentionPolicies.names()) {
            assertThat(RetentionPolicies.create(name, RetentionOptions.defaults()).name()).isEqualTo(name);
        }
    }

    @Test
    void rejectsUnknownNamesListingValidOnes() {
        assertThatThrownBy(() -> RetentionPolicies.create("lru-ttl", RetentionOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lru-ttl")
                .hasMessageContaining("continuum")
                .hasMessageContaining("infercept");
    }

    @Test
    void optionsRejectNonPositiveValues() {
        assertThatThrownBy(() -> new RetentionOptions(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
