package io.agentservesim.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SyntheticWorkloadTest {
    private static final LengthDistribution INPUT = LengthDistribution.lognormal(600, 400, 4, 8192);
    private static final LengthDistribution OUTPUT = LengthDistribution.uniform(16, 512);

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7, Long.MAX_VALUE})
    void sameSeedGivesIdenticalSequenceAndAnotherSeedDoesNot(long seed) {
        SyntheticWorkloadSpec spec = withIds(seed);
        List<RequestSpec> a = generate(spec);
        List<RequestSpec> b = generate(spec);
        assertThat(a).hasSize(200);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).usingRecursiveComparison().isEqualTo(b.get(i));
        }
        List<RequestSpec> other = generate(withIds(seed ^ 0x5DEECE66DL));
        assertThat(other.stream().map(RequestSpec::inputTokens).toList())
                .isNotEqualTo(a.stream().map(RequestSpec::inputTokens).toList());
        assertThat(other.stream().map(RequestSpec::arrivalNs).toList())
                .isNotEqualTo(a.stream().map(RequestSpec::arrivalNs).toList());
    }

    @Test
    void tokenIdsDoNotPerturbLengthsOrArrivals() {
        List<RequestSpec> without = generate(SyntheticWorkloadSpec.of(200, 5, INPUT, OUTPUT, 9));
        List<RequestSpec> with = generate(withIds(9));
        for (int i = 0; i < without.size(); i++) {
            assertThat(without.get(i).inputTokenIds()).isNull();
            assertThat(with.get(i).inputTokenIds()).hasSize(with.get(i).inputTokens());
            assertThat(with.get(i).inputTokens()).isEqualTo(without.get(i).inputTokens());
            assertThat(with.get(i).arrivalNs()).isEqualTo(without.get(i).arrivalNs());
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 10, 2500})
    void meanInterArrivalIsOneOverRate(double rate) {
        int n = 20_000;
        long last = 0;
        long previous = -1;
        try (SyntheticWorkload w = new SyntheticWorkload(SyntheticWorkloadSpec.of(n, rate, LengthDistribution.fixed(8),
                LengthDistribution.fixed(8), 3))) {
            while (w.hasNext()) {
                RequestSpec r = w.next();
                assertThat(r.arrivalNs()).isGreaterThanOrEqualTo(Math.max(previous, 0));
                previous = r.arrivalNs();
                last = r.arrivalNs();
            }
        }
        double meanNs = (double) last / n;
        assertThat(meanNs).isCloseTo(1e9 / rate, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, Double.POSITIVE_INFINITY})
    void zeroOrInfiniteRatePutsEveryArrivalAtZero(double rate) {
        assertThat(generate(SyntheticWorkloadSpec.of(50, rate, INPUT, OUTPUT, 1)))
                .allSatisfy(r -> assertThat(r.arrivalNs()).isZero());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lognormalMatchesRequestedMeanAndSd(long seed) {
        double mean = 500;
        double sd = 300;
        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.of(40_000, 0,
                LengthDistribution.lognormal(mean, sd, 1, 1_000_000), LengthDistribution.fixed(1), seed);
        double[] lengths = generate(spec).stream().mapToDouble(RequestSpec::inputTokens).toArray();
        double m = Arrays.stream(lengths).average().orElseThrow();
        double var = Arrays.stream(lengths).map(x -> (x - m) * (x - m)).sum() / (lengths.length - 1);
        assertThat(m).isCloseTo(mean, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(Math.sqrt(var)).isCloseTo(sd, org.assertj.core.data.Percentage.withPercentage(5));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void everyLengthStaysWithinItsBounds(long seed) {
        SyntheticWorkloadSpec spec = SyntheticWorkloadSpec.of(5000, 100,
                LengthDistribution.lognormal(100, 400, 20, 150), LengthDistribution.uniform(3, 9), seed);
        List<RequestSpec> all = generate(spec);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.inputTokens()).isBetween(20, 150);
            assertThat(r.outputTokens()).isBetween(3, 9);
        });
        // the heavy tail is clipped, so both bounds are actually reached
        assertThat(all).anyMatch(r -> r.inputTokens() == 150).anyMatch(r -> r.inputTokens() == 20);
        assertThat(all).anyMatch(r -> r.outputTokens() == 3).anyMatch(r -> r.outputTokens() == 9);
    }

    @Test
    void lognormalWithZeroSdIsTheRoundedMean() {
        assertThat(generate(SyntheticWorkloadSpec.of(100, 0, LengthDistribution.lognormal(99.6, 0, 1, 500),
                LengthDistribution.fixed(2), 4)))
                .allSatisfy(r -> {
                    assertThat(r.inputTokens()).isEqualTo(100);
                    assertThat(r.outputTokens()).isEqualTo(2);
                });
    }

    @Test
    void sharedPrefixIsPrependedToTheRequestedFraction() {
        // the prefix is longer than any unique part, so a prompt over 100 tokens is exactly a sharing one
        int prefix = 128;
        SyntheticWorkloadSpec spec = new SyntheticWorkloadSpec(4000, 20, LengthDistribution.uniform(1, 100),
                LengthDistribution.fixed(4), 5, prefix, 0.3, true, 50_000);
        List<RequestSpec> all = generate(spec);
        List<int[]> heads = new ArrayList<>();
        for (RequestSpec r : all) {
            assertThat(r.inputTokenIds()).hasSize(r.inputTokens());
            assertThat(Arrays.stream(r.inputTokenIds()).allMatch(id -> id >= 0 && id < 50_000)).isTrue();
            if (r.inputTokens() > 100) {
                assertThat(r.inputTokens()).isBetween(prefix + 1, prefix + 100);
                heads.add(Arrays.copyOf(r.inputTokenIds(), prefix));
            }
        }
        assertThat((double) heads.size()).isBetween(0.3 * 4000 * 0.9, 0.3 * 4000 * 1.1);
        assertThat(heads).allSatisfy(h -> assertThat(h).containsExactly(heads.get(0)));
        int[] shared = heads.get(0);
        assertThat(all).filteredOn(r -> r.inputTokens() <= 100)
                .allSatisfy(r -> assertThat(r.inputTokenIds()).isNotEqualTo(Arrays.copyOf(shared, r.inputTokens())));
        assertThat(all.get(0).inputTokenIds()).isNotSameAs(all.get(1).inputTokenIds());
    }

    @Test
    void noPrefixMeansNoTwoPromptsShareTheirFirstTokens() {
        List<RequestSpec> all = generate(new SyntheticWorkloadSpec(500, 0, LengthDistribution.fixed(32),
                LengthDistribution.fixed(1), 8, 0, 0, true, 32_000));
        assertThat(all.stream().map(r -> Arrays.toString(Arrays.copyOf(r.inputTokenIds(), 4))).distinct().count())
                .isEqualTo(500);
    }

    @Test
    void idsAreDenseFromZero() {
        assertThat(generate(SyntheticWorkloadSpec.of(7, 1, INPUT, OUTPUT, 0)).stream().mapToInt(RequestSpec::id).toArray())
                .containsExactly(IntStream.range(0, 7).toArray());
    }

    private static SyntheticWorkloadSpec withIds(long seed) {
        return new SyntheticWorkloadSpec(200, 5, INPUT, OUTPUT, seed, 0, 0, true, 32_000);
    }

    private static List<RequestSpec> generate(SyntheticWorkloadSpec spec) {
        List<RequestSpec> out = new ArrayList<>();
        try (SyntheticWorkload w = new SyntheticWorkload(spec)) {
            w.forEachRemaining(out::add);
        }
        return out;
    }
}
