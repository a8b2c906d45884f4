package io.agentservesim.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.agentservesim.perf.SyntheticBundle.attn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AttentionGridTest {
    @TempDir
    Path dir;

    private AttentionGrid grid(boolean dropHole) {
        return ProfileBundle.load(SyntheticBundle.write(dir, dropHole), 1).attention();
    }

    @Test
    void exactAtProfiledCells() {
        AttentionGrid g = grid(false);
        assertThat(g.timeUs(16, 32, 2, 16)).isEqualTo(attn(16, 32, 2, 16));
        assertThat(g.timeUs(0, 0, 1, 32)).isEqualTo(attn(0, 0, 1, 32));
        assertThat(g.timeUs(32, 16, 0, 0)).isEqualTo(attn(32, 16, 0, 0));
    }

    @Test
    void interpolatesMultilinearlyBetweenCells() {
        // 1 + 12 + 2 + 3 + 0.125*1.5*24 = 22.5
        assertThat(grid(false).timeUs(24, 8, 1.5, 24)).isCloseTo(22.5, within(1e-12));
    }

    @Test
    void extrapolatesLinearlyBeyondEveryAxis() {
        // 1 + 32 + 16 + 8 + 0.125*4*64 = 89
        assertThat(grid(false).timeUs(64, 64, 4, 64)).isCloseTo(89.0, within(1e-9));
    }

    @Test
    void offGridRowsAreIgnored() {
        AttentionGrid g = grid(false);
        assertThat(g.offGridRows()).isEqualTo(1);
        assertThat(g.timeUs(24, 24, 1, 24)).isCloseTo(attn(24, 24, 1, 24), within(1e-12));
        assertThat(g.chunkAxis()).containsExactly(0, 16, 32);
    }

    @Test
    void pureDecodeBelowFirstKvSampleClampsToIt() {
        // (0,0,1,0) is not profiled; it takes the kv_decode=16 value: 1 + 2 + 2 = 5
        assertThat(grid(false).timeUs(0, 0, 1, 8)).isEqualTo(5.0);
    }

    @Test
    void smallPurePrefillBlendsTowardTheNearestProfiledPair() {
        // (0,0,0,0) is never profiled: it takes (0,0,1,16) = 5; (16,0,0,0) = 9; halfway = 7
        assertThat(grid(false).timeUs(8, 0, 0, 0)).isEqualTo(7.0);
    }

    @Test
    void kvPrefillWithoutChunkIsIgnoredOnTheZeroChunkPlane() {
        // chunk 0 row has only kv_prefill=0; kv_prefill 16 must not change a pure-decode answer
        assertThat(grid(false).timeUs(0, 16, 2, 32)).isEqualTo(attn(0, 0, 2, 32));
    }

    @Test
    void unprofiledRegionIsFilledByExtrapolatingAlongNDecode() {
        // all (32, *, 2, *) rows removed; they are rebuilt from n_decode 0 and 1: exact for this linear data
        AttentionGrid g = grid(true);
        assertThat(g.timeUs(32, 0, 2, 16)).isCloseTo(attn(32, 0, 2, 16), within(1e-12));
        assertThat(g.timeUs(32, 32, 2, 32)).isCloseTo(attn(32, 32, 2, 32), within(1e-12));
    }
}
