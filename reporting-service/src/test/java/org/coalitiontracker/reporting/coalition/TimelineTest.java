package org.coalitiontracker.reporting.coalition;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.coalitiontracker.reporting.directory.ClusterEntry;
import org.junit.jupiter.api.Test;

/** The rule for "the totals as of a date" in reporting-service, alone: no database, no Quarkus. */
class TimelineTest {

    private static final LocalDate JOINED = LocalDate.of(2024, 1, 10);
    private static final LocalDate LATER = LocalDate.of(2025, 1, 22);

    @Test
    void aClusterCountsFromTheDayItJoinedUntilTheDayItWithdrew() {
        List<ClusterEntry> entries = List.of(entry("GB", JOINED, LocalDate.of(2024, 6, 1), "10.500", 100, "2.250"),
                entry("GB", LATER, null, "1.000", 10, "1.000"),
                entry("NL", JOINED, null, "0.001", 1, "0.001"));

        List<Timeline.Totals> history = Timeline.history(entries, LocalDate.MAX);

        assertThat(history).containsExactly(
                new Timeline.Totals(JOINED, 2, 2, new BigDecimal("10.501"), 101, new BigDecimal("2.251")),
                new Timeline.Totals(LocalDate.of(2024, 6, 1), 1, 1, new BigDecimal("0.001"), 1,
                        new BigDecimal("0.001")),
                new Timeline.Totals(LATER, 2, 2, new BigDecimal("1.001"), 11, new BigDecimal("1.001")));
    }

    @Test
    void aDateCutsTheHistoryAndItsLastTotalsAreTheTotalsOfThatDate() {
        List<ClusterEntry> entries = List.of(entry("GB", JOINED, null, "1.000", 10, "1.000"),
                entry("BR", LATER, null, "2.000", 20, "2.000"));

        assertThat(Timeline.history(entries, LATER.minusDays(1))).extracting(Timeline.Totals::clusters)
                .containsExactly(1L);
        assertThat(Timeline.history(entries, JOINED.minusDays(1))).isEmpty();
    }

    @Test
    void aCountryCountsWhileItHasAClusterLeft() {
        LocalDate left = LocalDate.of(2024, 3, 1);
        List<ClusterEntry> entries = List.of(entry("IN", JOINED, left, "1.000", 1, "1.000"),
                entry("IN", JOINED, null, "1.000", 1, "1.000"),
                entry("SA", JOINED, left, "1.000", 1, "1.000"));

        assertThat(Timeline.history(entries, LocalDate.MAX)).extracting(Timeline.Totals::countries)
                .containsExactly(2L, 1L);
    }

    private static ClusterEntry entry(String country, LocalDate joinedOn, LocalDate withdrawnOn, String emissions,
            long jobs, String gdp) {
        ClusterEntry entry = new ClusterEntry();
        entry.country = country;
        entry.joinedOn = joinedOn;
        entry.withdrawnOn = withdrawnOn;
        entry.emissionsReductionMtPerYear = new BigDecimal(emissions);
        entry.jobs = jobs;
        entry.gdpUsdBn = new BigDecimal(gdp);
        return entry;
    }
}
