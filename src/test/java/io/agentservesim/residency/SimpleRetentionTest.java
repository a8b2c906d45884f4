package io.agentservesim.residency;

import static io.agentservesim.residency.FakeContext.S;
import static io.agentservesim.residency.FakeContext.base;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** stock-lru, evict-always and fixed-ttl: the rules without memory of the past. */
class SimpleRetentionTest {
    @Test
    void stockLruAlwaysReleases() {
        RetentionPolicy p = new StockLruRetention();
        assertThat(p.onTurnEnd(base())).isSameAs(RetentionDecision.RELEASE);
        assertThat(p.onTurnEnd(base().done())).isSameAs(RetentionDecision.RELEASE);
    }

    @Test
    void evictAlwaysEvicts() {
        RetentionPolicy p = new EvictAlwaysRetention();
        assertThat(p.onTurnEnd(base())).isSameAs(RetentionDecision.EVICT);
        assertThat(p.onTurnEnd(base().done())).isSameAs(RetentionDecision.EVICT);
    }

    @Test
    void fixedTtlPinsUntilNowPlusTtl() {
        RetentionDecision d = new FixedTtlRetention(3 * S).onTurnEnd(base());
        // now = 100 s, ttl = 3 s
        assertThat(d).isEqualTo(new RetentionDecision(RetentionAction.PIN, 103 * S));
    }

    @Test
    void fixedTtlReleasesWhenProgramIsDone() {
        assertThat(new FixedTtlRetention(3 * S).onTurnEnd(base().done())).isSameAs(RetentionDecision.RELEASE);
    }

    @Test
    void fixedTtlSaturatesInsteadOfOverflowing() {
        RetentionDecision d = new FixedTtlRetention(Long.MAX_VALUE).onTurnEnd(base());
        assertThat(d.pinUntilNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fixedTtlRejectsNonPositiveTtl() {
        assertThatThrownBy(() -> new FixedTtlRetention(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyOffloadNeedsAHostTier() {
        for (String name : RetentionPolicies.names()) {
            assertThat(RetentionPolicies.create(name, RetentionOptions.defaults()).needsHostTier()).as(name)
                    .isEqualTo(name.startsWith(OffloadRetention.NAME));
        }
    }
}
